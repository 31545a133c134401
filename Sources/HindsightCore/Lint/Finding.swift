/// One problem `hindsight check` found: which rule, how serious, where, what, and how to fix it.
public struct Finding: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// How serious a finding is. Errors fail the check; warnings fail it only with `--strict`.
    public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable, Codable {
        case error, warning, info

        private var rank: Int {
            switch self {
            case .error: return 0
            case .warning: return 1
            case .info: return 2
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// The rule's id, e.g. `blame/language`.
    public var ruleID: String
    public var severity: Severity
    /// Where the problem is; nil for problems with the run itself rather than a file.
    public var location: SourceLocation?
    /// How many characters from the column the problem spans on its line, when known (for highlighting).
    public var length: Int?
    public var message: String
    /// A concrete rewrite or next step, when the rule has one.
    public var suggestion: String?

    public init(
        ruleID: String, severity: Severity, location: SourceLocation?, length: Int? = nil, message: String,
        suggestion: String? = nil
    ) {
        self.ruleID = ruleID
        self.severity = severity
        self.location = location
        self.length = length
        self.message = message
        self.suggestion = suggestion
    }

    /// `path:line:col: warning: message [rule-id]`.
    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        return "\(place)\(severity.rawValue): \(message) [\(ruleID)]"
    }

    /// Files in path order, then by line and column; the rule id breaks ties so output is stable.
    public static func < (lhs: Finding, rhs: Finding) -> Bool {
        let left = lhs.location
        let right = rhs.location
        let leftPath = left?.path ?? ""
        let rightPath = right?.path ?? ""
        if leftPath != rightPath { return leftPath < rightPath }
        if (left?.line ?? 0) != (right?.line ?? 0) { return (left?.line ?? 0) < (right?.line ?? 0) }
        if (left?.column ?? 0) != (right?.column ?? 0) { return (left?.column ?? 0) < (right?.column ?? 0) }
        if lhs.ruleID != rhs.ruleID { return lhs.ruleID < rhs.ruleID }
        return lhs.message < rhs.message
    }
}
