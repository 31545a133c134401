import Foundation
import HindsightCore
import HindsightTheme
import MustacheKit

/// What `hindsight new` is asked to write.
public struct NewPostMortemRequest: Sendable {
    public var title: String
    public var date: Day
    public var severity: String?
    public var services: [String]
    public var nearMiss: Bool

    /// A request for a post-mortem of `title` on `date`.
    public init(title: String, date: Day, severity: String? = nil, services: [String] = [], nearMiss: Bool = false) {
        self.title = title
        self.date = date
        self.severity = severity
        self.services = services
        self.nearMiss = nearMiss
    }
}

/// A problem writing a new post-mortem or a new archive (a file that already exists, a bad value).
public struct AuthoringError: Error, CustomStringConvertible, Sendable {
    public let description: String

    /// An error with a message for the terminal.
    public init(_ description: String) {
        self.description = description
    }
}

/// `hindsight new`: a post-mortem file from the method-following template, never over an existing file.
public enum NewPostMortem {
    /// The built-in template (`Theme/new.md` of the built-in theme).
    public static func builtInTemplate() throws -> String {
        guard let url = BuiltInTheme.url?.appendingPathComponent("new.md"), let data = FileManager.default.contents(atPath: url.path)
        else { throw AuthoringError("the built-in post-mortem template (new.md) is missing from the theme resources") }
        return String(decoding: data, as: UTF8.self)
    }

    /// The template for an archive: its own `Theme/new.md` when it has one, else the built-in one.
    public static func template(archiveRoot: URL) throws -> String {
        let own = archiveRoot.appendingPathComponent("Theme/new.md")
        if let data = FileManager.default.contents(atPath: own.path) { return String(decoding: data, as: UTF8.self) }
        return try builtInTemplate()
    }

    /// The file's path from the archive root: `<content>/YYYY/YYYY-MM-DD-<slug>.md`.
    public static func path(for request: NewPostMortemRequest, configuration: Configuration) throws -> String {
        var slug = Normalise.slug(request.title)
        if slug.count > 60 {
            // Cut at a word boundary: file names stay readable in listings and URLs.
            let cut = String(slug.prefix(60))
            slug = cut.contains("-") ? String(cut[..<cut.lastIndex(of: "-")!]) : cut
        }
        guard slug.isEmpty == false else {
            throw AuthoringError("the title '\(request.title)' has no letters or digits to name the file after")
        }
        let folder = configuration.contentFolder
        let file = "\(request.date.year)/\(request.date)-\(slug).md"
        return folder.isEmpty ? file : folder + "/" + file
    }

    /// The template filled in for a request. Values are plain text (no HTML escaping); `title_yaml` and
    /// the items of `services` are quoted for YAML where needed.
    public static func render(
        template: String, request: NewPostMortemRequest, configuration: Configuration, path: String
    ) throws -> String {
        let compiled: TemplateLibrary
        do {
            compiled = try TemplateLibrary(sources: ["new": template], path: { _ in "Theme/new.md" })
        } catch {
            throw AuthoringError(error.description)
        }
        // Plain text: `.html` values are written as they are, never escaped.
        let context: TemplateValue = [
            "title": .html(request.title),
            "title_yaml": .html(yamlString(request.title)),
            "date": .html(request.date.description),
            "year": .html(String(request.date.year)),
            "severity": .html(request.severity ?? ""),
            "severities": .html(configuration.severities.joined(separator: ", ")),
            "near_miss": .html(request.nearMiss ? "true" : "false"),
            "is_near_miss": .bool(request.nearMiss),
            "services": .html(request.services.map(yamlFlowItem).joined(separator: ", ")),
            "factor_types": .html(configuration.factorTypes.joined(separator: ", ")),
            "path": .html(path),
            "id": .html((path as NSString).lastPathComponent.replacingOccurrences(of: ".md", with: "")),
        ]
        return compiled.render("new", context)
    }

    /// Writes the new post-mortem under `archiveRoot`; throws when the file exists (it is never overwritten).
    /// Returns the path written, from the archive root.
    public static func create(_ request: NewPostMortemRequest, archiveRoot: URL) throws -> String {
        var configuration = Configuration()
        let configURL = archiveRoot.appendingPathComponent(Configuration.fileName)
        if let data = FileManager.default.contents(atPath: configURL.path) {
            configuration = try Configuration.parse(data)
        }
        if let severity = request.severity, Normalise.severity(severity, scale: configuration.severities) == nil {
            throw AuthoringError(
                "unknown severity '\(severity)'; use one of \(configuration.severities.joined(separator: ", "))")
        }
        var normalised = request
        normalised.severity = request.severity.flatMap { Normalise.severity($0, scale: configuration.severities) }

        let path = try path(for: normalised, configuration: configuration)
        let text = try render(
            template: try template(archiveRoot: archiveRoot), request: normalised, configuration: configuration, path: path)
        let url = archiveRoot.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        do {
            try Data(text.utf8).write(to: url, options: .withoutOverwriting)
        } catch {
            if FileManager.default.fileExists(atPath: url.path) {
                throw AuthoringError("\(path) already exists; hindsight new never overwrites a file (pick another title or --date)")
            }
            throw error
        }
        return path
    }

    /// A YAML double-quoted scalar.
    static func yamlString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n", "\r", "\t": out += " "
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// An item of a YAML flow sequence: plain when safe, else double-quoted.
    static func yamlFlowItem(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let plain = trimmed.isEmpty == false && trimmed.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" || $0 == "." || $0 == " "
        } && trimmed.first?.isLetter == true
        let reserved = ["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(trimmed.lowercased())
        return plain && !reserved ? trimmed : yamlString(trimmed)
    }
}
