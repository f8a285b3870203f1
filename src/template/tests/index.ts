// Registers every test.
import './jinja.js';
import './core.js';
