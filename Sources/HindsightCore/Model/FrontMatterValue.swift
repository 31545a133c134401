/// A front matter value kept as written, for keys Hindsight does not know (passed to templates and the export).
public indirect enum FrontMatterValue: Sendable, Hashable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case list([FrontMatterValue])
    case map([(key: String, value: FrontMatterValue)])

    /// A one-line human form, for templates.
    public var displayText: String {
        switch self {
        case .string(let s): return s
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
        case .bool(let b): return b ? "yes" : "no"
        case .null: return ""
        case .list(let items): return items.map(\.displayText).joined(separator: ", ")
        case .map(let pairs): return pairs.map { "\($0.key): \($0.value.displayText)" }.joined(separator: "; ")
        }
    }

    public static func == (lhs: FrontMatterValue, rhs: FrontMatterValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.null, .null): return true
        case (.list(let a), .list(let b)): return a == b
        case (.map(let a), .map(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(displayText)
    }
}
