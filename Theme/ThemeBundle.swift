// Resources only: the built-in theme.
import Foundation

/// Where the built-in theme (templates and assets) lives once installed.
public enum BuiltInTheme {
    /// The folder holding `templates/` and `assets/`.
    public static var url: URL? { Bundle.module.resourceURL }
}
