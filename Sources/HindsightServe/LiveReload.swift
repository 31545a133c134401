import Foundation

/// The live-reload script loaded by every HTML page the preview serves (never by the files on disk).
enum LiveReload {
    /// The path of the server-sent event stream.
    static let eventsPath = "/__hindsight/events"

    /// One server-sent event: a name and a JSON object as data.
    static func event(_ name: String, _ payload: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return "event: \(name)\ndata: \(String(decoding: data, as: UTF8.self))\n\n"
    }

    /// The path the script is served at: a file of its own, because the theme's Content-Security-Policy
    /// (`script-src 'self'`) blocks inline scripts, and the preview must run under the published policy.
    static let scriptPath = "/__hindsight/live-reload.js"

    /// The script: reloads when a build newer than the page's lands, and shows build errors over the page
    /// until the next good build. The page's build comes from the script tag's `data-generation`.
    static let script = """
        (function () {
          var built = Number(document.currentScript.dataset.generation);
          var overlay = null;
          function show(message) {
            if (!overlay) {
              overlay = document.createElement("div");
              overlay.id = "hindsight-build-error";
              overlay.setAttribute("role", "alert");
              // Set through the style object, which a Content-Security-Policy without 'unsafe-inline' allows.
              overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
                "background:rgba(24,24,27,.94);color:#fecaca;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap";
              document.body.appendChild(overlay);
            }
            overlay.textContent = message;
          }
          function hide() { if (overlay) { overlay.remove(); overlay = null; } }
          var source = new EventSource("\(eventsPath)");
          source.addEventListener("hello", function (e) {
            var state = JSON.parse(e.data);
            if (state.message) { show(state.message); } else if (state.generation !== built) { location.reload(); }
          });
          source.addEventListener("reload", function () { hide(); location.reload(); });
          source.addEventListener("build-error", function (e) { show(JSON.parse(e.data).message); });
        })();

        """

    /// The tag that loads the script into a page of build `generation`.
    static func tag(generation: Int) -> String {
        "<script src=\"\(scriptPath)\" data-hindsight-live-reload data-generation=\"\(generation)\"></script>\n"
    }

    /// The page with the script added before `</body>` (or at the end when there is none).
    static func inject(into html: Data, generation: Int) -> Data {
        let script = Data(tag(generation: generation).utf8)
        if let range = html.range(of: Data("</body>".utf8), options: .backwards) {
            var out = html
            out.insert(contentsOf: script, at: range.lowerBound)
            return out
        }
        return html + script
    }
}
