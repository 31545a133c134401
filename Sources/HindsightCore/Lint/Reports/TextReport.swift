/// Compiler-style text: `path:line:col: warning: message [rule-id]`, a suggestion line, then a summary.
public enum TextReport {
    /// The findings as lines, optionally in colour (ANSI), without the summary.
    public static func render(_ findings: [Finding], colour: Bool = false) -> String {
        var out = ""
        for finding in findings {
            if let location = finding.location { out += paint("\(location): ", "1", colour) }
            switch finding.severity {
            case .error: out += paint("error: ", "1;31", colour)
            case .warning: out += paint("warning: ", "1;33", colour)
            case .info: out += paint("info: ", "1;36", colour)
            }
            out += finding.message + " " + paint("[\(finding.ruleID)]", "2", colour) + "\n"
            if let suggestion = finding.suggestion {
                out += "    " + paint("suggestion:", "32", colour) + " " + suggestion + "\n"
            }
        }
        return out
    }

    /// One line: how many post-mortems were checked, what was found, and how many findings a baseline hid.
    public static func summary(
        _ result: LintResult, changedOnly: Bool = false, baselined: Int = 0, seconds: Double? = nil
    ) -> String {
        let count = result.checkedPaths.count
        var line = "Checked \(count)\(changedOnly ? " changed" : "") post-mortem\(count == 1 ? "" : "s")"
        let parts = [
            (result.count(.error), "error", "errors"), (result.count(.warning), "warning", "warnings"),
            (result.count(.info), "info", "info"),
        ].filter { $0.0 > 0 }.map { "\($0.0) \($0.0 == 1 ? $0.1 : $0.2)" }
        line += parts.isEmpty ? ": no \(baselined > 0 ? "new " : "")problems found" : ": " + parts.joined(separator: ", ")
        if baselined > 0 { line += "; \(baselined) baselined finding\(baselined == 1 ? "" : "s") hidden" }
        if let seconds { line += " (\(formatSeconds(seconds)) s)" }
        return line
    }

    static func formatSeconds(_ seconds: Double) -> String {
        let hundredths = Int((seconds * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    private static func paint(_ text: String, _ code: String, _ enabled: Bool) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
