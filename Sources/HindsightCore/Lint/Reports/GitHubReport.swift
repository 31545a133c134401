/// GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::message`), which GitHub shows
/// as annotations on the pull request's changed lines.
public enum GitHubReport {
    public static func render(_ findings: [Finding]) -> String {
        var out = ""
        for finding in findings {
            let command: String
            switch finding.severity {
            case .error: command = "error"
            case .warning: command = "warning"
            case .info: command = "notice"
            }
            var properties: [String] = []
            if let location = finding.location {
                properties.append("file=\(property(location.path))")
                properties.append("line=\(location.line)")
                properties.append("col=\(location.column)")
                if let length = finding.length, length > 0 { properties.append("endColumn=\(location.column + length)") }
            }
            properties.append("title=\(property(finding.ruleID))")
            var message = finding.message
            if let suggestion = finding.suggestion { message += "\nSuggestion: " + suggestion }
            out += "::\(command) \(properties.joined(separator: ","))::\(data(message))\n"
        }
        return out
    }

    /// Escapes a command's message as the runner expects: `%`, CR and LF.
    static func data(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// Escapes a property value: as a message, plus `:` and `,`, which separate properties.
    static func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
