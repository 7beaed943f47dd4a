// The dashboard's plotly.js: the core (which includes scatter) and only the trace types the
// figures in components/figures.py use. Add a trace type here when a figure needs a new one,
// then run ./build.sh.
'use strict';

var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/funnel'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/pie'),
]);

module.exports = Plotly;
