/*
 * Browser-side behaviour of the dashboard (Dash serves everything in assets/ automatically).
 *
 * - Theme: applied to <html data-bs-theme> before the first paint by a script in the page's
 *   head (components/first_screen.py), toggled by the header button, remembered in
 *   localStorage by dcc.Store(id="sellerbot-theme", storage_type="local").
 * - First screen: the page arrives with a static copy of its first screen
 *   (components/first_screen.py); it is removed when Dash's page appears, before that frame
 *   is painted (a MutationObserver runs first), so the two are never seen together.
 * - Auto-refresh: the refresh dcc.Interval runs at the selected period and is disabled while
 *   the tab is hidden; a visibilitychange listener reports visibility to the store
 *   "store-visible", and becoming visible again triggers one version check on the server.
 * - "updated N s ago": recomputed every second from the time of the data on screen,
 *   without a request to the server.
 * - plotly.js on demand: dcc.Graph draws with window.Plotly when it is defined, and otherwise
 *   fetches Dash's full bundle (4.6 MB). Here window.Plotly starts as a promise-like object that
 *   dcc.Graph waits on; when a chart card comes near the screen, this file loads our custom
 *   bundle (assets/lazy/, only the trace types we draw: vendor/plotly/build.sh), which replaces
 *   window.Plotly with the library itself. The cards and the table never wait for it.
 * - Charts' text alternative: each chart's data as text for screen readers, from its figure.
 * - Keyboard access to the conversations table (dash_table has none of its own): Tab reaches
 *   each row's seller cell and the sort buttons, Enter or Space uses them (a seller cell opens
 *   the conversation, as a click does); the pager's icon buttons get names.
 */
(function () {
    "use strict";

    var THEME_STORE = "sellerbot-theme";
    var VISIBLE_STORE = "store-visible";

    function storedTheme() {
        try {
            return JSON.parse(window.localStorage.getItem(THEME_STORE));
        } catch (e) {
            return null;
        }
    }

    function preferredTheme() {
        var theme = storedTheme();
        if (theme === "light" || theme === "dark") {
            return theme;
        }
        var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
        return dark ? "dark" : "light";
    }

    function applyTheme(theme) {
        document.documentElement.setAttribute("data-bs-theme", theme);
    }

    var firstScreen = document.getElementById("first-screen");
    var entry = document.getElementById("react-entry-point");
    if (firstScreen && entry) {
        var handOver = new MutationObserver(function () {
            if (document.getElementById("page")) {
                handOver.disconnect();
                firstScreen.remove();
            }
        });
        handOver.observe(entry, {childList: true, subtree: true});
    }

    // Named by version and content hash, so it may be cached for a year (see api/assets.py).
    var PLOTLY_BUNDLE = "lazy/plotly-4.1.1-873b068019.min.js";
    var ASSETS = document.currentScript
        ? document.currentScript.src.replace(/[^/]*$/, "") : "/assets/";
    var CHART = ".chart-card";
    var NEAR = "0px";  // a chart card entering the screen
    var plotly = null;

    function loadPlotly() {
        if (!plotly) {
            plotly = new Promise(function (resolve, reject) {
                var script = document.createElement("script");
                script.src = ASSETS + PLOTLY_BUNDLE;
                script.onload = function () { resolve(window.Plotly); };
                script.onerror = function () {
                    plotly = null;
                    reject(new Error("plotly.js could not be loaded from " + script.src));
                };
                document.head.appendChild(script);
            });
        }
        return plotly;
    }

    /* Call ``ready`` once a chart card is near the viewport. The cards are being rendered when
       dcc.Graph first asks for Plotly, so wait a few frames for them to be in the document. */
    function whenChartsNear(ready, frames) {
        var cards = document.querySelectorAll(CHART);
        if (!cards.length && frames > 0) {
            window.requestAnimationFrame(function () { whenChartsNear(ready, frames - 1); });
            return;
        }
        if (!cards.length || !("IntersectionObserver" in window)) {
            ready();
            return;
        }
        var observer = new IntersectionObserver(function (entries) {
            if (entries.some(function (entry) { return entry.isIntersecting; })) {
                observer.disconnect();
                ready();
            }
        }, {rootMargin: NEAR});
        cards.forEach(function (card) { observer.observe(card); });
    }

    if (!window.Plotly) {
        window.Plotly = {
            then: function (resolve, reject) {
                whenChartsNear(function () { loadPlotly().then(resolve, reject); }, 120);
            }
        };
    }

    function cell(value) {
        return value === null || value === undefined || value === "" ? "no data" : String(value);
    }

    /* One chart's data as rows: [category, value of trace 1, value of trace 2, ...]. */
    function chartRows(traces) {
        var order = [];
        var rows = {};
        traces.forEach(function (trace, index) {
            var horizontal = trace.orientation === "h" || trace.type === "funnel";
            var keys = trace.type === "pie" ? trace.labels : horizontal ? trace.y : trace.x;
            var values = trace.type === "pie" ? trace.values : horizontal ? trace.x : trace.y;
            (keys || []).forEach(function (key, i) {
                if (!(key in rows)) {
                    rows[key] = [];
                    order.push(key);
                }
                rows[key][index] = values ? values[i] : null;
            });
        });
        return order.map(function (key) {
            return [key].concat(traces.map(function (_, index) { return rows[key][index]; }));
        });
    }

    /* A heatmap as rows of its y categories, one value per x category. */
    function heatmapRows(trace) {
        return (trace.z || []).map(function (row, i) {
            return [trace.y ? trace.y[i] : i].concat(row);
        });
    }

    function age(seconds) {
        if (seconds < 5) {
            return "just now";
        }
        if (seconds < 60) {
            return seconds + " s ago";
        }
        if (seconds < 3600) {
            return Math.floor(seconds / 60) + " min ago";
        }
        if (seconds < 86400) {
            return Math.floor(seconds / 3600) + " h ago";
        }
        return Math.floor(seconds / 86400) + " d ago";
    }

    /* A chart's figure as text, "category: value; ..." (with the series' names when there
       are several), or the empty state's message. Plain text: returning components
       here would make Dash re-walk the whole layout for each chart. */
    function chartText(figure) {
        var traces = (figure && figure.data) || [];
        if (!traces.length) {
            var notes = ((figure && figure.layout && figure.layout.annotations) || [])
                .map(function (note) { return note.text; });
            return notes.join(" ") || "No data";
    }
    var heatmap = traces[0].type === "heatmap";
    var names = heatmap ? traces[0].x || [] : traces.map(function (trace) {
        return trace.name || "";
    });
    var rows = heatmap ? heatmapRows(traces[0]) : chartRows(traces);
    return rows.map(function (row) {
        var values = row.slice(1).map(function (value, i) {
            return names.length > 1 && names[i] !== "" ? names[i] + " " + cell(value)
                : cell(value);
        });
        return cell(row[0]) + ": " + values.join(", ");
    }).join("; ") + ".";
    }

    var clientside = (window.dash_clientside = window.dash_clientside || {});

    clientside.sellerbot = {
        /* [refresh disabled, refresh period ms, clock disabled] for the selected period
           ("0" = off) and the tab's visibility. */
        intervalSettings: function (seconds, visible) {
            var period = parseInt(seconds, 10) || 0;
            var hidden = visible === false;
            return [period <= 0 || hidden, period > 0 ? period * 1000 : 60000, hidden];
        },

        /* ["updated N s ago", tooltip] from the ISO time of the data on screen. */
        freshness: function (_tick, asOf, seconds) {
            if (!asOf) {
                return ["", ""];
            }
            var at = Date.parse(asOf);
            if (isNaN(at)) {
                return ["", ""];
            }
            var elapsed = Math.max(0, Math.round((Date.now() - at) / 1000));
            var period = parseInt(seconds, 10) || 0;
            var tip = "Data as of " + new Date(at).toLocaleString() + ". ";
            tip += period > 0
                ? "Checked for new activity every " + period + " s; the numbers change when it arrives."
                : "Auto-refresh is off: use Refresh now.";
            return ["updated " + age(elapsed), tip];
        },

        /* Every chart's text alternative, one per figure given (one callback for all the
           charts: each callback's result costs Dash a pass over the page). */
        chartTexts: function () {
            return Array.prototype.map.call(arguments, chartText);
        },

        toggleTheme: function (_clicks, theme) {
            var current = theme === "light" || theme === "dark" ? theme : preferredTheme();
            return current === "dark" ? "light" : "dark";
        },

        /* Apply the stored theme; the toggle's label names the theme it switches to. */
        applyTheme: function (theme) {
            var current = theme === "light" || theme === "dark" ? theme : preferredTheme();
            applyTheme(current);
            return current === "dark" ? "\u2600 Light" : "\u263e Dark";
        }
    };

    var PAGER = {"first-page": "First page", "previous-page": "Previous page",
                 "next-page": "Next page", "last-page": "Last page"};
    var ROW_CELL = ".dash-table-container td[data-dash-column]:first-child";
    var SORT = ".dash-table-container .column-header--sort";

    function name(node, label) {
        if (node.getAttribute("aria-label") !== label) {
            node.setAttribute("aria-label", label);
        }
    }

    function enhanceTables() {
        document.querySelectorAll(".dash-table-container .previous-next-container button")
            .forEach(function (button) {
                Object.keys(PAGER).forEach(function (cls) {
                    if (button.classList.contains(cls)) {
                        name(button, PAGER[cls]);
                    }
                });
            });
        document.querySelectorAll(".dash-table-container input.current-page")
            .forEach(function (input) { name(input, "Page number"); });
        document.querySelectorAll(ROW_CELL + ":not([tabindex='0'])").forEach(function (cell) {
            cell.setAttribute("tabindex", "0");
        });
        document.querySelectorAll(SORT).forEach(function (sort) {
            var header = sort.closest("th");
            var column = header ? header.textContent.trim() : "this column";
            sort.setAttribute("tabindex", "0");
            sort.setAttribute("role", "button");
            name(sort, "Sort by " + column);
        });
    }

    var pending = false;
    new MutationObserver(function () {
        if (!pending) {
            pending = true;
            window.requestAnimationFrame(function () {
                pending = false;
                enhanceTables();
            });
        }
    }).observe(document.documentElement, {childList: true, subtree: true});

    /* Captured before dash_table sees the key: its own handler swallows Tab inside the table
       (a keyboard trap) and Enter (even on its pager's buttons) to move its selection. */
    window.addEventListener("keydown", function (event) {
        var target = event.target;
        if (!target.closest || !target.closest(".dash-table-container")) {
            return;
        }
        if (event.key === "Tab") {
            event.stopPropagation();
        } else if ((event.key === "Enter" || event.key === " ") &&
                   (target.matches(ROW_CELL) || target.matches(SORT) ||
                    target.matches("button"))) {
            event.stopPropagation();
            event.preventDefault();
            target.click();
        }
    }, true);

    document.addEventListener("visibilitychange", function () {
        var dc = window.dash_clientside;
        if (dc && typeof dc.set_props === "function") {
            dc.set_props(VISIBLE_STORE, {data: !document.hidden});
        }
    });
})();
