/// SARIF 2.1.0, the format GitHub code scanning and other static-analysis tools read.
public enum SARIFReport {
    struct Log: Encodable {
        var schema = "https://json.schemastore.org/sarif-2.1.0.json"
        var version = "2.1.0"
        var runs: [Run]

        enum CodingKeys: String, CodingKey {
            case schema = "$schema", version, runs
        }
    }

    struct Run: Encodable {
        var tool: Tool
        /// Columns count Unicode code points, as `hindsight check` reports them.
        var columnKind = "unicodeCodePoints"
        var versionControlProvenance: [Provenance]?
        var results: [Result]
    }

    struct Provenance: Encodable {
        var repositoryUri: String
        var revisionId: String
    }

    struct Tool: Encodable {
        var driver: Driver
    }

    struct Driver: Encodable {
        var name = "hindsight"
        var version: String
        var informationUri: String?
        var rules: [ReportingDescriptor]
    }

    struct ReportingDescriptor: Encodable {
        var id: String
        var name: String
        var shortDescription: Text
        var fullDescription: Text
        var help: Help
        var defaultConfiguration: Configuration
        var properties: Properties
    }

    struct Text: Encodable {
        var text: String
    }

    struct Help: Encodable {
        var text: String
        var markdown: String
    }

    struct Configuration: Encodable {
        var level: String
    }

    struct Properties: Encodable {
        var tags: [String]
    }

    struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int?
        var level: String
        var message: Text
        var locations: [Location]?
        var partialFingerprints: [String: String]?
    }

    struct Location: Encodable {
        var physicalLocation: PhysicalLocation
    }

    struct PhysicalLocation: Encodable {
        var artifactLocation: ArtifactLocation
        var region: Region
    }

    struct ArtifactLocation: Encodable {
        var uri: String
        var uriBaseId = "%SRCROOT%"
    }

    struct Region: Encodable {
        var startLine: Int
        var startColumn: Int
        var endColumn: Int?
    }

    /// SARIF levels: error, warning and note.
    static func level(_ severity: Finding.Severity) -> String {
        switch severity {
        case .error: return "error"
        case .warning: return "warning"
        case .info: return "note"
        }
    }

    public static func render(_ report: CheckReport, version: String, repositoryURL: String? = nil) -> String {
        // Every rule a finding names is listed, even one that is off by default but raised by a directive's typo.
        var descriptors = report.rules
        for id in Set(report.result.findings.map(\.ruleID)) where descriptors.contains(where: { $0.id == id }) == false {
            if let descriptor = RuleCatalog.descriptor(id) { descriptors.append(descriptor) }
        }
        let index = Dictionary(descriptors.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let rules = descriptors.map { descriptor in
            ReportingDescriptor(
                id: descriptor.id, name: name(of: descriptor.id), shortDescription: Text(text: descriptor.summary),
                fullDescription: Text(text: descriptor.rationale),
                help: Help(
                    text: descriptor.rationale + " Turn it off or change its level in hindsight.yml (check.rules), or for one "
                        + "place with <!-- hindsight-disable-next-line \(descriptor.id) -->.",
                    markdown: "**\(descriptor.summary)**\n\n\(descriptor.rationale)\n\nConfigure it under `check.rules` in "
                        + "`hindsight.yml`, or turn it off for one place with `<!-- hindsight-disable-next-line \(descriptor.id) -->`."),
                defaultConfiguration: Configuration(level: level(descriptor.defaultSeverity)),
                properties: Properties(tags: [descriptor.category, "post-mortem"]))
        }
        let results = report.result.findings.map { finding in
            var text = finding.message
            if let suggestion = finding.suggestion { text += ". Suggestion: " + suggestion }
            return Result(
                ruleId: finding.ruleID, ruleIndex: index[finding.ruleID], level: level(finding.severity),
                message: Text(text: text),
                locations: finding.location.map { location in
                    [Location(physicalLocation: PhysicalLocation(
                        artifactLocation: ArtifactLocation(uri: uri(location.path)),
                        region: Region(
                            startLine: location.line, startColumn: location.column,
                            endColumn: finding.length.map { location.column + $0 })))]
                },
                partialFingerprints: finding.location.map { location in
                    ["hindsightFinding/v1": "\(finding.ruleID):\(location.path):\(finding.message)"]
                })
        }
        let provenance = repositoryURL.flatMap { url in
            report.revision.map { [Provenance(repositoryUri: url, revisionId: $0.id.hex)] }
        }
        let log = Log(runs: [
            Run(
                tool: Tool(driver: Driver(version: version, informationUri: nil, rules: rules)),
                versionControlProvenance: provenance, results: results)
        ])
        return JSONReport.encode(log)
    }

    /// `blame/person` → `BlamePerson`, the CamelCase name SARIF viewers show.
    static func name(of id: String) -> String {
        id.split(whereSeparator: { $0 == "/" || $0 == "-" }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// A relative path as a URI reference: spaces and other reserved characters percent-encoded.
    static func uri(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if c.isASCII, c.isLetter || c.isNumber || "-._~/".contains(c) {
                out.append(c)
            } else {
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
