// Registers every filter.
import './jinja.js';
import './core.js';
import './hashing.js';
import './math.js';
import './network.js';
import './query.js';
import './urls.js';
