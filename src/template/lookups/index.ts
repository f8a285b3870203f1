// Registers every lookup plugin.
import './data.js';
import './files.js';
import './config-files.js';
