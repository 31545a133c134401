import Foundation
import HindsightCore

/// `/sitemap.xml`: every page's absolute address. Search engines need absolute addresses, so a sitemap is only
/// written when `base_url` is an absolute `http(s)` address.
enum Sitemap {
    /// The sitemap of the site's other files (`paths`), or nil without an absolute base URL.
    static func render(_ paths: [String], archive: Archive) -> OutputFile? {
        let urls = SiteURLs(baseURL: archive.configuration.baseURL)
        guard let base = urls.base, base.hasPrefix("http://") || base.hasPrefix("https://") else { return nil }
        var modified: [String: Date] = [:]
        for pm in archive.postMortems {
            if let time = pm.history?.updated.time { modified[SiteURLs.Path.postMortemFile(pm.id)] = time }
        }
        let fallback = archive.revision?.time
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for path in paths.filter({ $0.hasSuffix(".html") && $0 != "404.html" }).sorted() {
            let location = path.hasSuffix("index.html") ? String(path.dropLast("index.html".count)) : path
            xml += "  <url><loc>\(SVG.escape(base + location))</loc>"
            if let date = modified[path] ?? fallback { xml += "<lastmod>\(Format.day(date))</lastmod>" }
            xml += "</url>\n"
        }
        xml += "</urlset>\n"
        return OutputFile(path: "sitemap.xml", data: Data(xml.utf8))
    }
}
