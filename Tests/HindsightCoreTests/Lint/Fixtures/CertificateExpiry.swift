/// A certificate that expired: the person who "forgot" against the renewal nobody could see coming.
enum CertificateExpiry {
    static let blameful = """
        ---
        title: Edge certificate expired
        date: 2024-04-18
        severity: SEV3
        ---

        # Edge certificate expired

        ## Summary

        Bob forgot to renew the edge certificate. This was obviously a careless mistake: the expiry emails were
        clearly visible and he simply ignored them.

        ## Timeline

        | Time | Event |
        |---|---|
        | 09:00 | The certificate expires. |
        | 09:20 | Customers report browser warnings. |
        | 09:05 | Bob notices the emails. |

        ## Contributing Factors

        - **Process**: Bob failed to follow the renewal checklist.

        ## Action Items

        | Action | Owner | Priority |
        |---|---|---|
        | Bob will be more careful and pay more attention to expiry emails | Bob | High |
        | Investigate certificate monitoring | SRE Team | P2 |
        """

    static let blameless = """
        ---
        title: Edge certificate expired
        date: 2024-04-18
        severity: SEV3
        detected: 2024-04-18T09:20:00Z
        ---

        # Edge certificate expired

        ## Summary

        The edge certificate expired at 09:00 UTC and browsers showed a warning for 35 minutes until a renewed
        certificate was deployed.

        ## Timeline

        | Time | Event |
        |---|---|
        | 09:00 | The certificate expires. |
        | 09:20 | Customers report browser warnings; support pages the on-call engineer. |
        | 09:35 | A renewed certificate is deployed. |

        ## Five Whys

        1. Why did browsers warn? The edge certificate had expired.
        2. Why was it not renewed? Renewal was a manual step, announced only by email.
        3. Why did the emails not lead to a renewal? They went to a shared mailbox retired in a reorganisation.

        ## Contributing Factors

        - **Process**: Certificate renewal was manual and depended on email reminders.
        - **Organizational**: Expiry emails went to a mailbox retired in a reorganisation.
        - **Technical**: No alert watched certificate expiry dates.

        ## Action Items

        | Action | Owner | Priority |
        |---|---|---|
        | Renew edge certificates automatically 30 days before expiry | Edge Team | P1 |
        | Alert the SRE on-call rotation when any certificate expires within 14 days | SRE Team | P2 |
        | Send expiry notices to team rotations, not mailboxes | SRE Team | P2 |
        """
}
