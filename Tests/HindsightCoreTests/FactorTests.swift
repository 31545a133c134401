import Testing

@testable import HindsightCore

private func factors(_ body: String, configuration: Configuration = Configuration()) throws -> [ContributingFactor] {
    try postMortem("## Contributing Factors\n\n" + body, configuration: configuration).factors
}

@Suite("Contributing factors")
struct FactorTests {
    @Test func tableWithFactorTypeContribution() throws {
        let found = try factors(
            """
            | Factor | Type | Contribution |
            |---|---|---|
            | The config loader ignored unknown keys | Technical | High |
            | Canary analysis compared latency only | process | Medium |
            """)
        #expect(found.map(\.text) == ["The config loader ignored unknown keys", "Canary analysis compared latency only"])
        #expect(found.map(\.type) == ["Technical", "Process"])
        #expect(found.map(\.contribution) == ["High", "Medium"])
        #expect(found.map(\.location.line) == [5, 6])
    }

    @Test func tableColumnsInAnyOrder() throws {
        let found = try factors(
            """
            | Contribution | Type | Factor |
            |---|---|---|
            | Made the outage longer | Documentation | The runbook named the old host |
            """)
        #expect(found.count == 1)
        #expect(found.first?.text == "The runbook named the old host")
        #expect(found.first?.type == "Documentation")
        #expect(found.first?.contribution == "Made the outage longer")
    }

    @Test func tableWithoutTypeColumnIsUnclassified() throws {
        let found = try factors("| Factor | Details |\n|---|---|\n| Stale DNS cache | Poolers resolved once |\n")
        #expect(found.first?.type == "Unclassified")
        #expect(found.first?.contribution == "Poolers resolved once")
    }

    @Test func tableRowsWithEmptyFactorAreSkipped() throws {
        let found = try factors("| Factor | Type |\n|---|---|\n|  | Technical |\n| Real one | Process |\n")
        #expect(found.map(\.text) == ["Real one"])
    }

    @Test func bulletStyles() throws {
        let found = try factors(
            """
            - **Process**: The deploy pipeline did not compare queue wait time.
            - Technical — The retry loop had no backoff.
            - Process: Reviews skipped the canary.
            - Infrastructure – all cache nodes restarted at once.
            - *Documentation* - The runbook was out of date.
            - **Organizational:** Two teams owned the cluster.
            - Monitoring checked the origin but not the edge.
            """)
        #expect(found.map(\.type) == [
            "Process", "Technical", "Process", "Infrastructure", "Documentation", "Organizational", "Unclassified",
        ])
        #expect(found.map(\.text) == [
            "The deploy pipeline did not compare queue wait time.",
            "The retry loop had no backoff.",
            "Reviews skipped the canary.",
            "all cache nodes restarted at once.",
            "The runbook was out of date.",
            "Two teams owned the cluster.",
            "Monitoring checked the origin but not the edge.",
        ])
        #expect(found.map(\.location.line) == Array(3...9))
    }

    @Test func typeNamesAreMatchedWithoutCase() throws {
        let found = try factors("- process: a\n- TECHNICAL: b\n- **organisational**: c\n- infra-structure: d\n")
        #expect(found.map(\.type) == ["Process", "Technical", "Organizational", "Infrastructure"])
        #expect(found.map(\.text) == ["a", "b", "c", "d"])
    }

    @Test func unknownTypeIsKeptInTitleCase() throws {
        let found = try factors(
            """
            - **vendor**: The provider rotated keys without notice.
            - **third party**: The CDN cached errors.

            | Factor | Type |
            |---|---|
            | Alerting thresholds too lax | observability gap |
            """)
        #expect(found.map(\.type) == ["Vendor", "Third Party", "Observability Gap"])
        #expect(found.first?.text == "The provider rotated keys without notice.")
    }

    @Test func plainColonPrefixThatIsNotATypeStaysInTheText() throws {
        let found = try factors("- Note: the pager was on silent.\n")
        #expect(found.first?.type == "Unclassified")
        #expect(found.first?.text == "Note: the pager was on silent.")
    }

    @Test func h3HeadingsGroupTheFactorsBelowThem() throws {
        let found = try factors(
            """
            ### Process

            - Nobody owned the certificate inventory.
            - The renewal reminder went to a retired mailbox.

            ### technical

            | Factor | Contribution |
            |---|---|
            | Expiry alert was not configured | High |

            - **Documentation**: An explicit type still wins.
            """)
        #expect(found.map(\.type) == ["Process", "Process", "Technical", "Documentation"])
        #expect(found[2].text == "Expiry alert was not configured")
    }

    @Test func nestedBulletsUnderABoldType() throws {
        let found = try factors(
            """
            - **Process**
              - Changes skipped staged rollout.
              - No one reviewed the dashboard.
            - **Technical**:
              - The cache had no jitter.
            """)
        #expect(found.map(\.type) == ["Process", "Process", "Technical"])
        #expect(found.map(\.text) == [
            "Changes skipped staged rollout.", "No one reviewed the dashboard.", "The cache had no jitter.",
        ])
        #expect(found.map(\.location.line) == [4, 5, 7])
    }

    @Test func laterParagraphsOfAnItemAreItsContribution() throws {
        let found = try factors(
            """
            - **Technical**: The retry loop had no backoff.

              It multiplied load by ten during the outage.
            """)
        #expect(found.first?.text == "The retry loop had no backoff.")
        #expect(found.first?.contribution == "It multiplied load by ten during the outage.")
    }

    @Test func configuredFactorTypesAreUsed() throws {
        var config = Configuration()
        config.factorTypes = ["People", "Tooling"]
        let found = try factors("- tooling: The linter was off.\n- Technical: Not configured here.\n", configuration: config)
        #expect(found.map(\.type) == ["Tooling", "Unclassified"])
        #expect(found[1].text == "Technical: Not configured here.")
    }

    @Test func synonymSectionAndOtherSectionsAreIgnored() throws {
        let pm = try postMortem(
            """
            ## What Went Wrong

            - Process: This is not a factor list.

            ## Root Causes

            - Technical: This is.
            """)
        #expect(pm.factors.map(\.text) == ["This is."])
    }

    @Test func factorTypesListsTypesInFirstUseOrder() throws {
        let pm = try postMortem(
            "## Contributing Factors\n\n- Process: a\n- Technical: b\n- Process: c\n- d\n")
        #expect(pm.factorTypes == ["Process", "Technical", "Unclassified"])
    }
}

@Suite("Factor type spelling")
struct FactorTypeNormaliseTests {
    @Test(arguments: [
        ("process", "Process"), ("  Technical  ", "Technical"), ("**Process**", "Process"), ("Organisational", "Organizational"),
        ("", "Unclassified"), ("vendor lock-in", "Vendor Lock-in"), ("people", "People"),
    ])
    func normalise(written: String, expected: String) {
        #expect(Normalise.factorType(written, known: Configuration.defaultFactorTypes) == expected)
    }
}
