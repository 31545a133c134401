/// What a rule is, for configuration, documentation and SARIF: its id, default severity and why it exists.
public struct RuleDescriptor: Sendable, Hashable {
    /// `category/name`, e.g. `blame/language`.
    public let id: String
    public let defaultSeverity: Finding.Severity
    /// One line: what the rule catches.
    public let summary: String
    /// Why it matters to the archive or to the method, and how to fix it.
    public let rationale: String
    /// Whether the rule runs on `status: draft` post-mortems (completeness does not: a draft is unfinished by definition).
    public let checksDrafts: Bool
    /// Whether the rule runs when `hindsight.yml` says nothing about it; tips that suit only some archives are off.
    public let enabledByDefault: Bool

    public init(
        id: String, severity: Finding.Severity, summary: String, rationale: String, checksDrafts: Bool = true,
        enabledByDefault: Bool = true
    ) {
        self.id = id
        self.defaultSeverity = severity
        self.summary = summary
        self.rationale = rationale
        self.checksDrafts = checksDrafts
        self.enabledByDefault = enabledByDefault
    }

    /// The part of the id before `/`: `schema`, `completeness`, `blame`, `hindsight`, `analysis`, `actions`, `timeline`, `style`.
    public var category: String {
        id.split(separator: "/", maxSplits: 1).first.map(String.init) ?? id
    }
}

/// One check over one post-mortem. Rules are built once per run (so their matchers are compiled once) and
/// must be safe to call from several threads at once.
public protocol Rule: Sendable {
    static var descriptor: RuleDescriptor { get }
    init(context: LintContext)
    /// Reports every problem the rule sees in the document.
    func check(_ document: LintDocument, into report: inout RuleReport)
}

/// A rule that gives a rule id to problems the parser or the archive builder already found (invalid YAML,
/// unknown severity, duplicate id…), instead of finding them a second time.
public protocol DiagnosticRule: Rule {
    init()
    /// Whether this rule owns a diagnostic; the first rule in catalog order that claims one reports it.
    static func claims(_ diagnostic: Diagnostic) -> Bool
    /// A next step for a claimed diagnostic, when the rule has one.
    static func suggestion(for diagnostic: Diagnostic) -> String?
}

extension DiagnosticRule {
    public init(context: LintContext) { self.init() }
    public func check(_ document: LintDocument, into report: inout RuleReport) {}
    public static func suggestion(for diagnostic: Diagnostic) -> String? { nil }
}

/// Collects one rule's findings for one document; the linter fills in the id and the configured severity.
public struct RuleReport: Sendable {
    let path: String
    private(set) var items: [Item] = []

    struct Item: Sendable {
        var location: SourceLocation?
        var length: Int?
        var message: String
        var suggestion: String?
    }

    init(path: String) {
        self.path = path
    }

    /// Reports a problem at a place in the file.
    public mutating func add(_ message: String, at location: SourceLocation?, length: Int? = nil, suggestion: String? = nil) {
        items.append(Item(location: location, length: length, message: message, suggestion: suggestion))
    }

    /// Reports a problem at a span of a text block (a paragraph, a heading, a table cell or a list item).
    public mutating func add(
        _ message: String, in document: LintDocument, block: TextBlock, range: Range<String.Index>, suggestion: String? = nil
    ) {
        let (location, length) = document.location(of: range, in: block)
        add(message, at: location, length: length, suggestion: suggestion)
    }

    /// Reports a problem at the first line of the file, for what is missing rather than wrong.
    public mutating func addAtTop(_ message: String, suggestion: String? = nil) {
        add(message, at: SourceLocation(path: path), suggestion: suggestion)
    }
}
