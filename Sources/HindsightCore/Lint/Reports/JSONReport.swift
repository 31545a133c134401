import Foundation

/// Findings as JSON for other tools: a summary and one object per finding.
public enum JSONReport {
    struct Document: Encodable {
        var version = 1
        var tool: String
        var revision: String?
        var checked: [String]
        var summary: Summary
        var findings: [Item]
    }

    struct Summary: Encodable {
        var errors: Int
        var warnings: Int
        var info: Int
        /// Findings the baseline hid (not in `findings`); only with `--baseline`.
        var baselined: Int?
    }

    struct Item: Encodable {
        var rule: String
        var severity: String
        var path: String?
        var line: Int?
        var column: Int?
        var endColumn: Int?
        var message: String
        var suggestion: String?
    }

    public static func render(_ report: CheckReport, tool: String) -> String {
        let result = report.result
        let document = Document(
            tool: tool, revision: report.revision?.id.hex, checked: result.checkedPaths,
            summary: Summary(errors: result.count(.error), warnings: result.count(.warning), info: result.count(.info),
                baselined: report.usedBaseline ? report.baselined : nil),
            findings: result.findings.map { finding in
                Item(
                    rule: finding.ruleID, severity: finding.severity.rawValue, path: finding.location?.path,
                    line: finding.location?.line, column: finding.location?.column,
                    endColumn: finding.length.flatMap { length in finding.location.map { $0.column + length } },
                    message: finding.message, suggestion: finding.suggestion)
            })
        return encode(document)
    }

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
