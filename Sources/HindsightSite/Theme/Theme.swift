import Foundation
import HindsightCore
import HindsightTheme
import MustacheKit

/// The templates and assets a site is rendered with: the built-in theme, overridden file by file by the archive's `Theme/`.
public struct Theme: Sendable {
    /// The templates, compiled once (`MustacheKit`), by name (file name without `.mustache`).
    public let library: TemplateLibrary
    /// Asset files by path below `assets/`.
    public let assets: [String: Data]
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
    /// A template that does not compile fails here, as `Theme/templates/NAME.mustache:line:col: error: …`.
    public static func load(overrides: [String: Data] = [:]) throws -> Theme {
        var files = try builtInFiles()
        for (path, data) in overrides { files[path] = data }

        var sources: [String: String] = [:]
        var assets: [String: Data] = [:]
        for (path, data) in files {
            if path.hasPrefix("templates/"), path.hasSuffix(".mustache") {
                let name = String(path.dropFirst("templates/".count).dropLast(".mustache".count))
                sources[name] = String(decoding: data, as: UTF8.self)
            } else if path.hasPrefix("assets/") {
                let relative = String(path.dropFirst("assets/".count))
                guard relative.split(separator: "/").contains("..") == false else { continue }
                assets[relative] = data
            }
        }
        let library: TemplateLibrary
        do {
            library = try TemplateLibrary(sources: sources, path: { "Theme/templates/\($0).mustache" })
        } catch {
            throw ThemeError(message: error.description)
        }
        for required in requiredTemplates where library.contains(required) == false {
            throw ThemeError(message: "the theme has no '\(required)' template (Theme/templates/\(required).mustache)")
        }
        var all = Data()
        for (path, data) in files.sorted(by: { $0.key < $1.key }) {
            all.append(Data("\(path)\u{0}\(data.count)\u{0}".utf8))
            all.append(data)
        }
        let showsRevision = library.mentions("site.commit_short") || library.mentions("site.build_date")
        return Theme(library: library, assets: assets, fingerprint: ContentKey.of(all).hex, showsRevision: showsRevision)
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
    func render(_ template: String, _ value: TemplateValue) -> Data {
        var buffer: [UInt8] = []
        // A post-mortem page is about 30 kB: room for it at once.
        buffer.reserveCapacity(32_768)
        library.render(template, value, into: &buffer)
        return Data(buffer)
    }

    /// Renders a template as text (a card that lists include).
    func renderText(_ template: String, _ value: TemplateValue) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(2048)
        library.render(template, value, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}

/// A theme that cannot be used.
public struct ThemeError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
