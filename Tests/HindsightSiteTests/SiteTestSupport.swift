import Foundation
import HindsightCore
import HindsightSite
import TestSupport

/// A built site on disk, with helpers to read it the way a visitor would.
struct BuiltSite {
    let root: URL

    func page(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: root.appendingPathComponent(path)), as: UTF8.self)
    }

    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path)
    }

    /// Every file below the root, relative.
    var files: [String] {
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        var out: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                out.append(path)
            }
        }
        return out.sorted()
    }

    func json() throws -> [String: Any] {
        let data = try Data(contentsOf: root.appendingPathComponent("api/postmortems.json"))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// Links (href and src) on a page that lead nowhere inside the site.
    func brokenLinks(on page: String) throws -> [String] {
        let html = try self.page(page)
        var broken: [String] = []
        for attribute in ["href=\"", "src=\""] {
            var rest = html[...]
            while let range = rest.range(of: attribute) {
                rest = rest[range.upperBound...]
                guard let end = rest.firstIndex(of: "\"") else { break }
                let link = String(rest[..<end])
                rest = rest[end...]
                if link.hasPrefix("#") || link.hasPrefix("http://") || link.hasPrefix("https://") || link.hasPrefix("mailto:") {
                    continue
                }
                let target = link.split(separator: "#", maxSplits: 1).first.map(String.init) ?? link
                let resolved = root.appendingPathComponent(page).deletingLastPathComponent()
                    .appendingPathComponent(target.removingPercentEncoding ?? target).standardizedFileURL
                if FileManager.default.fileExists(atPath: resolved.path) == false { broken.append(link) }
            }
        }
        return broken
    }
}

/// Builds a site from a source into a fresh temporary folder.
func buildSite(
    _ source: SourceLocator, into folder: TemporaryFolder, baseURL: String? = nil, drafts: Bool = false
) throws -> (BuiltSite, BuildReport) {
    let output = folder.url.appendingPathComponent("_site")
    let report = try Site.build(BuildOptions(source: source, output: output, baseURL: baseURL, includeDrafts: drafts))
    return (BuiltSite(root: output), report)
}

/// A minimal post-mortem in the documented format.
func postMortem(
    title: String, date: String = "2024-03-05", severity: String = "SEV2", services: [String] = ["checkout"],
    extraFrontMatter: String = "", factorType: String = "Process", body: String = ""
) -> String {
    """
    ---
    title: \(title)
    date: \(date)
    severity: \(severity)
    services: [\(services.joined(separator: ", "))]
    \(extraFrontMatter)
    ---

    ## Summary

    Something happened to \(title).

    ## Timeline

    | Time (UTC) | Event |
    |---|---|
    | 14:02 | Deploy starts |
    | 14:09 | Alert fires |

    ## Contributing Factors

    | Factor | Type | Contribution |
    |---|---|---|
    | The canary did not cover the path | \(factorType) | High |

    ## Action Items

    - [ ] [P1] Add a canary check — Checkout Team
    - [x] [P2] Document rollback — SRE Team

    \(body)
    """
}
