import Foundation
import HindsightCore
import HindsightTheme
import Mustache

/// The templates and assets a site is rendered with: the built-in theme, overridden file by file by the archive's `Theme/`.
public struct Theme: Sendable {
    /// Compiled templates, by name (file name without `.mustache`).
    public let library: MustacheLibrary
    /// Asset files by path below `assets/`.
    public let assets: [String: Data]
    /// Template names, for checks and messages.
    public let templateNames: [String]
    /// The key (`ContentKey`) of every template and asset (paths and bytes): a page rendered with another theme
    /// is never reused (`PageCache`).
    public let fingerprint: String
    /// Whether a template shows the revision built (`site.commit_short`, `site.build_date`). The built-in theme
    /// does not: a page then depends only on its own content and can be reused from build to build.
    public let showsRevision: Bool

    /// The templates every site needs.
    public static let requiredTemplates = [
        "header", "footer", "card", "index", "postmortem", "factors", "factor", "terms", "term", "404", "search",
        "insights", "action-items", "chart", "pager",
    ]

    /// Loads the built-in theme and applies `overrides` (paths below `Theme/`, such as `templates/index.mustache`).
    public static func load(overrides: [String: Data] = [:]) throws -> Theme {
        var files = try builtInFiles()
        for (path, data) in overrides { files[path] = data }

        HTMLEscaping.register()
        var library = MustacheLibrary()
        var names: [String] = []
        var assets: [String: Data] = [:]
        for (path, data) in files.sorted(by: { $0.key < $1.key }) {
            if path.hasPrefix("templates/"), path.hasSuffix(".mustache") {
                let name = String(path.dropFirst("templates/".count).dropLast(".mustache".count))
                do {
                    try library.register(HTMLEscaping.pragma + String(decoding: data, as: UTF8.self), named: name)
                } catch {
                    throw ThemeError(message: "Theme/\(path): the template does not parse: \(error)")
                }
                names.append(name)
            } else if path.hasPrefix("assets/") {
                let relative = String(path.dropFirst("assets/".count))
                guard relative.split(separator: "/").contains("..") == false else { continue }
                assets[relative] = data
            }
        }
        for required in requiredTemplates where names.contains(required) == false {
            throw ThemeError(message: "the theme has no '\(required)' template (Theme/templates/\(required).mustache)")
        }
        var all = Data()
        for (path, data) in files.sorted(by: { $0.key < $1.key }) {
            all.append(Data("\(path)\u{0}\(data.count)\u{0}".utf8))
            all.append(data)
        }
        let fingerprint = ContentKey.of(all).hex
        let showsRevision = files.contains { path, data in
            path.hasPrefix("templates/")
                && (data.range(of: Data("commit_short".utf8)) != nil || data.range(of: Data("build_date".utf8)) != nil)
        }
        return Theme(
            library: library, assets: assets, templateNames: names, fingerprint: fingerprint, showsRevision: showsRevision)
    }

    /// The built-in theme's files, read from the resource bundle.
    static func builtInFiles() throws -> [String: Data] {
        guard let root = BuiltInTheme.url else {
            throw ThemeError(message: "the built-in theme's resources are missing")
        }
        var files: [String: Data] = [:]
        let fm = FileManager.default
        for folder in ["templates", "assets"] {
            let base = root.appendingPathComponent(folder)
            guard let enumerator = fm.enumerator(atPath: base.path) else { continue }
            while let relative = enumerator.nextObject() as? String {
                var isDirectory: ObjCBool = false
                let full = base.appendingPathComponent(relative).path
                guard fm.fileExists(atPath: full, isDirectory: &isDirectory), isDirectory.boolValue == false,
                    let data = fm.contents(atPath: full)
                else { continue }
                files[folder + "/" + relative] = data
            }
        }
        return files
    }

    /// Renders a template; a template that is missing renders nothing.
    func render(_ context: [String: Any], template: String) -> String {
        guard StageTimer.enabled else { return library.render(context, withTemplate: template) ?? "" }
        let start = ContinuousClock.now
        defer { StageTimer.templates.add(ContinuousClock.now - start) }
        return library.render(context, withTemplate: template) ?? ""
    }

    /// The page at `path` rendered from `template`, or taken from the previous build by `cache` when its
    /// template values are unchanged.
    /// `resolve` makes the page's `Deferred` values, only when the page is rendered.
    func page(
        _ path: String, template: String, context: [String: Any], cache: PageCache?, inputs: String? = nil,
        resolve: ((inout [String: Any]) -> Void)? = nil
    ) -> OutputFile {
        let make = { () -> String in
            var values = context
            resolve?(&values)
            // The values every page has (`ViewModel.common`), deferred at the top.
            Deferred.resolve(&values, mergingAt: [])
            return render(values, template: template)
        }
        guard let cache else { return OutputFile(path: path, data: Data(make().utf8)) }
        return cache.page(path, template: template, context: context, inputs: inputs, render: make)
    }
}

/// A theme that cannot be used.
public struct ThemeError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}

/// HTML escaping for `{{value}}`, the same five characters as swift-mustache's own, done over UTF-8 bytes.
///
/// swift-mustache escapes character by character through a dictionary; on a large archive that was a tenth
/// of the build. Most values have nothing to escape and come back as they are. Every template gets this
/// content type through the pragma its text is prefixed with when the theme is loaded.
struct HTMLEscaping: MustacheContentType {
    static let name = "HINDSIGHT_HTML"
    /// Put before each template's text: no output, and no line of its own, so template line numbers hold.
    static let pragma = "{{% CONTENT_TYPE: \(name)}}"

    private static let registration: Void = MustacheContentTypes.register(HTMLEscaping(), named: name)
    static func register() { _ = registration }

    func escapeText(_ text: String) -> String { Self.escape(text) }

    static func escape(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes -> String in
            guard bytes.contains(where: { $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0x22 || $0 == 0x27 }) else {
                return String(decoding: bytes, as: UTF8.self)
            }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            for byte in bytes {
                switch byte {
                case 0x3C: out.append(contentsOf: "&lt;".utf8)
                case 0x3E: out.append(contentsOf: "&gt;".utf8)
                case 0x26: out.append(contentsOf: "&amp;".utf8)
                case 0x22: out.append(contentsOf: "&quot;".utf8)
                case 0x27: out.append(contentsOf: "&#39;".utf8)
                default: out.append(byte)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
