import Foundation
import Yams

/// The archive's settings from `hindsight.yml`, with the defaults of the method.
public struct Configuration: Sendable, Hashable {
    /// The site's title.
    public var title: String = "Post-mortems"
    /// Where the site is published (`https://example.org/archive/` or `/archive/`); nil for relative links.
    public var baseURL: String?
    /// The content folder, relative to the repository root.
    public var contentFolder: String = "Content"
    /// Web address of the repository, for commit and file links (GitHub and GitLab style).
    public var repoURL: String?
    /// The branch name used in file links.
    public var repoBranch: String = "main"
    /// Contributing-factor types, in display order.
    public var factorTypes: [String] = Configuration.defaultFactorTypes
    /// The severity scale, most severe first.
    public var severities: [String] = ["SEV1", "SEV2", "SEV3", "SEV4"]
    /// Post-mortems per page of a list (home, service, severity, tag, year); 0 puts each list on one page.
    /// Tables (factors, action items) hold five times as many rows per page.
    public var paginate: Int = 50

    /// The five types of the method.
    public static let defaultFactorTypes = ["Technical", "Process", "Organizational", "Infrastructure", "Documentation"]
    /// The file name of the configuration at the archive root.
    public static let fileName = "hindsight.yml"

    public init() {}

    private struct File: Decodable {
        var title: String?
        var base_url: String?
        var content: String?
        var repo_url: String?
        var repo_branch: String?
        var factor_types: [String]?
        var severities: [String]?
        var paginate: Int?
    }

    /// Reads `hindsight.yml`; a syntax or type error becomes a diagnostic at its line and column.
    public static func parse(_ data: Data, path: String = Configuration.fileName) throws(Diagnostic) -> Configuration {
        let text = String(decoding: data, as: UTF8.self)
        var config = Configuration()
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return config }
        // As in front matter: nothing here needs an alias, and an alias bomb would hang every build and check.
        if let alias = YAMLAliasScan.firstAlias(in: text) {
            throw Diagnostic.error(
                "YAML aliases (*name) are not allowed in \(Configuration.fileName); write the value out",
                at: SourceLocation(path: path, line: alias.line, column: alias.column))
        }
        let file: File
        do {
            file = try YAMLDecoder().decode(File.self, from: text)
        } catch let error as YamlError {
            throw YAMLDiagnostics.diagnostic(for: error, path: path, lineOffset: 0)
        } catch {
            throw Diagnostic.error("\(Configuration.fileName) is not valid: \(describe(error))", at: SourceLocation(path: path))
        }
        if let v = file.title { config.title = v }
        if let v = file.base_url, v.isEmpty == false { config.baseURL = v }
        if let v = file.content {
            let folder = v.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            guard folder.split(separator: "/").contains("..") == false, v.hasPrefix("/") == false else {
                throw Diagnostic.error("content folder must be inside the repository", at: SourceLocation(path: path))
            }
            config.contentFolder = folder
        }
        if let v = file.repo_url, v.isEmpty == false { config.repoURL = v.hasSuffix("/") ? String(v.dropLast()) : v }
        if let v = file.repo_branch { config.repoBranch = v }
        if let v = file.factor_types, v.isEmpty == false { config.factorTypes = v }
        if let v = file.severities, v.isEmpty == false { config.severities = v }
        if let v = file.paginate {
            guard v >= 0 else {
                throw Diagnostic.error("paginate must be 0 (no pagination) or a positive number", at: SourceLocation(path: path))
            }
            config.paginate = v
        }
        return config
    }

    private static func describe(_ error: Error) -> String {
        if case DecodingError.typeMismatch(_, let context) = error {
            return "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        }
        return String(describing: error)
    }
}
