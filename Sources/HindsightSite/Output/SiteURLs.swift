/// Makes every link of the site: absolute under `base_url` when one is set, else relative (works from `file://`).
public struct SiteURLs: Sendable {
    /// The base with a trailing slash, or nil for relative links.
    public let base: String?

    public init(baseURL: String?) {
        if let baseURL, baseURL.isEmpty == false {
            base = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
        } else {
            base = nil
        }
    }

    /// The link from the page written at `page` (e.g. `postmortems/x/index.html`) to `target`
    /// (a folder such as `factors/process/`, `""` for home, or a file such as `api/postmortems.json`).
    public func href(_ target: String, from page: String) -> String {
        href(target, root: root(from: page))
    }

    /// The link to `target` from a page whose prefix to the site root is `root` (`root(from:)`).
    public func href(_ target: String, root: String) -> String {
        if let base { return base + target }
        let isFolder = target.isEmpty || target.hasSuffix("/")
        var link = root
        link.reserveCapacity(root.utf8.count + target.utf8.count + 10)
        link += target
        if isFolder { link += "index.html" }
        return link
    }

    /// The prefix that leads from a page to the site root (for assets).
    public func root(from page: String) -> String {
        if let base { return base }
        // The page's folders, counted over its bytes (every link asks; splitting allocated a list each time).
        var components = 0
        var inComponent = false
        for byte in page.utf8 {
            if byte == UInt8(ascii: "/") {
                inComponent = false
            } else if inComponent == false {
                inComponent = true
                components += 1
            }
        }
        let depth = components - 1
        return depth <= 0 ? "" : String(repeating: "../", count: depth)
    }

    /// Site paths of each kind of page, in one place.
    public enum Path {
        public static func postMortem(_ id: String) -> String { "postmortems/\(id)/" }
        public static func factorType(_ slug: String) -> String { "factors/\(slug)/" }
        public static func term(_ taxonomy: String, _ slug: String) -> String { "\(taxonomy)/\(slug)/" }
        public static let api = "api/postmortems.json"

        /// The file a folder path is written to.
        public static func file(_ folder: String) -> String { folder + "index.html" }
        /// The file a post-mortem's page is written to.
        public static func postMortemFile(_ id: String) -> String { file(postMortem(id)) }
    }
}
