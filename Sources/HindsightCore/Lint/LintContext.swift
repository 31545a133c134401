/// What every rule may know besides the document: the archive's settings, the check's settings and its people.
public struct LintContext: Sendable {
    /// The archive's `hindsight.yml` (severity scale, factor types).
    public var configuration: Configuration
    /// The `check:` settings.
    public var settings: LintConfiguration
    /// People's names, for telling a person from a team or a system.
    public var people: PeopleDirectory

    public init(
        configuration: Configuration = Configuration(), settings: LintConfiguration = LintConfiguration(),
        people: PeopleDirectory = PeopleDirectory()
    ) {
        self.configuration = configuration
        self.settings = settings
        self.people = people
    }
}
