/*
 * Browser-side behaviour of the dashboard (Dash serves everything in assets/ automatically).
 *
 * - Theme: applied to <html data-bs-theme> before React renders (no white flash), toggled by
 *   the header button, remembered in localStorage by
 *   dcc.Store(id="sellerbot-theme", storage_type="local").
 * - Auto-refresh: the refresh dcc.Interval runs at the selected period and is disabled while
 *   the tab is hidden; a visibilitychange listener reports visibility to the store
 *   "store-visible", and becoming visible again triggers one version check on the server.
 * - "updated N s ago": recomputed every second from the time of the data on screen,
 *   without a request to the server.
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

    applyTheme(preferredTheme());

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

    document.addEventListener("visibilitychange", function () {
        var dc = window.dash_clientside;
        if (dc && typeof dc.set_props === "function") {
            dc.set_props(VISIBLE_STORE, {data: !document.hidden});
        }
    });
})();
