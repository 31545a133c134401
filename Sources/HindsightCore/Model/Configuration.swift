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
    /// How numeric dates such as `03/04/2024` are read; nil reads them month first and warns where a file's
    /// dates could be read either way.
    public var dateOrder: DateOrder?
    /// Front matter keys of other tools read as Hindsight's fields (`fields:`), beyond the ones known anyway.
    public var fieldKeys: [KeyMapping] = []
    /// Headings read as sections of a kind (`sections:`), beyond the built-in names.
    public var sectionHeadings: [KeyMapping] = []

    /// A field (or section kind) and the names that mean it, from `hindsight.yml`.
    public struct KeyMapping: Sendable, Hashable {
        public var field: String
        public var names: [String]

        public init(field: String, names: [String]) {
            self.field = field
            self.names = names
        }
    }

    /// The fields a front matter key may be mapped to (`fields:`).
    public static let mappableFields = [
        "title", "id", "date", "severity", "status", "visibility", "near_miss", "services", "tags", "owner_team",
        "related", "started", "detected", "acknowledged", "mitigated", "resolved", "summary", "source_url",
        "time_to_detect", "time_to_repair", "time_to_resolve",
    ]

    /// Keys other tools write, read as Hindsight's own without a mapping.
    static let otherToolsKeys: [String: String] = [
        "start_time": "started", "started_at": "started", "end_time": "resolved", "ended_at": "resolved",
        "resolved_at": "resolved", "detected_at": "detected", "mitigated_at": "mitigated",
        "acknowledged_at": "acknowledged",
        "company": "services", "product": "services", "products": "services", "components": "services",
        "component": "services", "systems": "services",
        "categories": "tags", "category": "tags", "keywords": "tags",
        "url": "source_url", "archive_url": "source_url",
        "incident_date": "date", "time_to_detection": "time_to_detect", "ttd": "time_to_detect",
        "time_to_mitigate": "time_to_repair", "time_to_mitigation": "time_to_repair",
        "time_to_resolution": "time_to_resolve", "time_to_recovery": "time_to_resolve", "duration": "time_to_resolve",
        "tldr": "summary", "description": "summary", "abstract": "summary",
    ]

    /// The Hindsight field a front matter key (lowercased) is read as: the archive's mapping first, then the
    /// keys other tools write; nil for a key read as itself.
    public func frontMatterField(forKey key: String) -> String? {
        for mapping in fieldKeys where mapping.names.contains(key) { return mapping.field }
        return Self.otherToolsKeys[key]
    }

    /// The section kind the archive's mapping gives a heading (normalised as headings are), if any.
    public func mappedSection(_ normalisedHeading: String) -> String? {
        for mapping in sectionHeadings where mapping.names.contains(normalisedHeading) { return mapping.field }
        return nil
    }

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
        var date_order: String?
        var fields: [String: [String]]?
        var sections: [String: [String]]?
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
        if let v = file.date_order {
            guard let order = DateOrder(rawValue: v.lowercased()) else {
                throw Diagnostic.error("date_order must be mdy or dmy, not '\(v)'", at: SourceLocation(path: path))
            }
            config.dateOrder = order
        }
        if let fields = file.fields {
            for (field, names) in fields.sorted(by: { $0.key < $1.key }) {
                guard mappableFields.contains(field) else {
                    throw Diagnostic.error(
                        "fields: unknown field '\(field)'; map keys to one of \(mappableFields.joined(separator: ", "))",
                        at: SourceLocation(path: path))
                }
                config.fieldKeys.append(KeyMapping(field: field, names: names.map { $0.lowercased() }))
            }
        }
        if let sections = file.sections {
            let kinds = SectionKind.allCases.map(\.configurationName)
            for (kind, names) in sections.sorted(by: { $0.key < $1.key }) {
                guard kinds.contains(kind) else {
                    throw Diagnostic.error(
                        "sections: unknown section '\(kind)'; use one of \(kinds.joined(separator: ", "))",
                        at: SourceLocation(path: path))
                }
                config.sectionHeadings.append(KeyMapping(field: kind, names: names.map(SectionCatalog.normalise)))
            }
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
