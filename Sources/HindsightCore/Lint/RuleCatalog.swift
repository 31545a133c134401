/// Every rule `hindsight check` knows, in reporting order.
public enum RuleCatalog {
    /// All rules. Diagnostic rules come first in the order they claim parser diagnostics; the catch-all is last of them.
    static let all: [any Rule.Type] = [
        // The archive: parser and builder diagnostics, named.
        SchemaConfigRule.self,
        SchemaYAMLRule.self,
        SchemaSeverityRule.self,
        SchemaStatusRule.self,
        SchemaDateRule.self,
        SchemaDuplicateIDRule.self,
        SchemaRelatedRule.self,
        SchemaFieldRule.self,
        SchemaIDRule.self,
        SchemaEncodingRule.self,
        SourceRepositoryRule.self,
        CompletenessDateRule.self,
        CompletenessDateFallbackRule.self,
        SchemaOtherRule.self,
        // The archive: checked here.
        SchemaTimeOrderRule.self,
        // The method.
        CompletenessSummaryRule.self,
        CompletenessTimelineRule.self,
        CompletenessFactorsRule.self,
        CompletenessActionItemsRule.self,
        CompletenessFullStructureRule.self,
        BlamePersonRule.self,
        BlameLanguageRule.self,
        HindsightCounterfactualRule.self,
        HindsightMinimiserRule.self,
        AnalysisWhysRule.self,
        AnalysisSingleFactorRule.self,
        AnalysisLastWhyPersonRule.self,
        AnalysisRootCauseRule.self,
        ActionsTooManyRule.self,
        ActionsOwnerRule.self,
        ActionsPersonOwnerRule.self,
        ActionsPriorityRule.self,
        ActionsPriorityScaleRule.self,
        ActionsBlameRule.self,
        ActionsVagueRule.self,
        ActionsUnaddressedFactorRule.self,
        TimelineOrderRule.self,
        TimelineDetectionRule.self,
        StylePersonAsActorRule.self,
        UnknownRuleRule.self,
    ]

    /// Every rule's descriptor, in catalog order.
    public static var descriptors: [RuleDescriptor] { all.map { $0.descriptor } }

    /// The descriptor of a rule id.
    public static func descriptor(_ id: String) -> RuleDescriptor? {
        byID[id]
    }

    private static let byID: [String: RuleDescriptor] = Dictionary(
        all.map { ($0.descriptor.id, $0.descriptor) }, uniquingKeysWith: { first, _ in first })

    /// The rule categories (`schema`, `blame`, …).
    public static let categories: Set<String> = Set(all.map { $0.descriptor.category })

    private static let diagnosticRules: [any DiagnosticRule.Type] = all.compactMap { $0 as? any DiagnosticRule.Type }

    /// The rule that reports a parser diagnostic: the first that claims it (the catch-all claims everything).
    static func rule(claiming diagnostic: Diagnostic) -> any DiagnosticRule.Type {
        diagnosticRules.first { $0.claims(diagnostic) } ?? SchemaOtherRule.self
    }

    /// Whether a rule id, a category (`blame`, `blame/*`) or `*` names at least one rule.
    public static func isKnownPattern(_ pattern: String) -> Bool {
        if pattern == "*" || byID[pattern] != nil { return true }
        let category = pattern.hasSuffix("/*") ? String(pattern.dropLast(2)) : pattern
        return categories.contains(category)
    }

    /// The known rule id nearest to a misspelt one, when it is close enough to be the likely intent.
    static func closest(to id: String) -> String? {
        var best: (String, Int)?
        for candidate in byID.keys.sorted() {
            let distance = editDistance(Array(id), Array(candidate))
            if distance <= max(2, id.count / 4), distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
        }
        return best?.0
    }

    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
