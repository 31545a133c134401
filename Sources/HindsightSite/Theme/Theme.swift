import Foundation
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

    /// The templates every site needs.
    public static let requiredTemplates = [
        "header", "footer", "card", "index", "postmortem", "factors", "factor", "terms", "term", "404", "search",
        "insights", "action-items", "chart",
    ]

    /// Loads the built-in theme and applies `overrides` (paths below `Theme/`, such as `templates/index.mustache`).
    public static func load(overrides: [String: Data] = [:]) throws -> Theme {
        var files = try builtInFiles()
        for (path, data) in overrides { files[path] = data }

        var library = MustacheLibrary()
        var names: [String] = []
        var assets: [String: Data] = [:]
        for (path, data) in files.sorted(by: { $0.key < $1.key }) {
            if path.hasPrefix("templates/"), path.hasSuffix(".mustache") {
                let name = String(path.dropFirst("templates/".count).dropLast(".mustache".count))
                do {
                    try library.register(String(decoding: data, as: UTF8.self), named: name)
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
        return Theme(library: library, assets: assets, templateNames: names)
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
        library.render(context, withTemplate: template) ?? ""
    }
}

/// A theme that cannot be used.
public struct ThemeError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
