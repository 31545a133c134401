/// The method's own blame-full example (an individual deployed without testing; "root cause: negligence";
/// "remind him to run tests") and its blameless rewrite.
enum DeployWithoutTests {
    static let blameful = """
        ---
        title: Checkout outage after Friday deploy
        date: 2024-06-07
        severity: SEV2
        status: published
        ---

        # Checkout outage after Friday deploy

        ## Summary

        Dave deployed the checkout service on Friday afternoon without testing it, and payments broke for 40 minutes.

        ## Timeline

        - 16:02 - Dave deploys release 2024.06.07-1 to production.
        - 16:10 - Customers report failed payments.
        - 16:42 - Dave rolls back.

        ## Root Cause

        Root cause: negligence. Dave should have run the tests before deploying.

        ## Action Items

        - Remind him to run tests before deploying — Dave
        """

    static let blameless = """
        ---
        title: Checkout outage after Friday deploy
        date: 2024-06-07
        severity: SEV2
        status: published
        owner_team: Checkout Team
        started: 2024-06-07T16:02:00Z
        detected: 2024-06-07T16:10:00Z
        resolved: 2024-06-07T16:42:00Z
        ---

        # Checkout outage after Friday deploy

        ## Summary

        Release 2024.06.07-1 of the checkout service reached production without passing the integration suite.
        It broke card payments for 40 minutes until it was rolled back.

        ## Impact

        About 1,900 card payments failed between 16:02 and 16:42 UTC. Wallet payments were not affected.

        ## Timeline

        - 16:02 - The deploy pipeline promotes release 2024.06.07-1 to production.
        - 16:10 - Customer reports of failed payments reach support; the payments error alert fires.
        - 16:25 - The on-call engineer links the errors to the release.
        - 16:42 - The release is rolled back. Payments recover.

        ## Five Whys

        1. Why did payments fail? The release sent a malformed currency field to the payment provider.
        2. Why was the malformed field not caught before production? The integration suite did not run for this release.
        3. Why did the suite not run? The pipeline treats the suite as optional when it takes longer than 15 minutes,
           and it had grown to 22 minutes.
        4. Why could a slow suite be skipped? The timeout was added as a temporary measure during a migration and
           never revisited, and nothing reports how often the suite is skipped.

        ## Contributing Factors

        | Factor | Type | Contribution |
        |---|---|---|
        | The pipeline let a release reach production when the integration suite timed out | Process | High |
        | The integration suite had grown to 22 minutes with no time budget | Technical | Medium |
        | Nothing reported how often the suite was skipped | Technical | Medium |

        ## What Went Well

        - Rolling back through the pipeline took two minutes.

        ## What Went Poorly

        - The payments error alert fired eight minutes after the first failure.

        ## Action Items

        | Action | Owner | Priority |
        |---|---|---|
        | Block promotion to production until the integration suite has passed | Delivery Team | P1 |
        | Keep the integration suite under 10 minutes by running it in four shards | Checkout Team | P2 |
        | Alert when a release skips the integration suite | Delivery Team | P2 |

        ## Lessons Learned

        - A safety check that times out into "optional" is not a safety check.
        """
}
