internal import CGit2

/// A libgit2 failure, carrying the return code, libgit2's message and the call that failed.
public struct GitError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, in terms a user can act on.
    public enum Kind: Sendable, Equatable {
        /// The path is not inside a Git repository.
        case notARepository
        /// A revision expression did not name a commit.
        case revisionNotFound
        /// The repository has no commits yet.
        case emptyRepository
        /// An object the history refers to is missing or corrupt.
        case objectMissing
        /// Any other libgit2 failure.
        case other
    }

    public let kind: Kind
    /// libgit2's return code.
    public let code: Int32
    /// The libgit2 function that failed.
    public let function: String
    /// libgit2's own message, if it gave one.
    public let message: String

    public init(kind: Kind, code: Int32 = -1, function: String, message: String) {
        self.kind = kind
        self.code = code
        self.function = function
        self.message = message
    }

    public var description: String {
        message.isEmpty ? "\(function) failed (\(code))" : message
    }
}

extension GitError {
    /// Builds an error from the last libgit2 error of this thread.
    static func last(_ code: Int32, _ function: String, kind: Kind? = nil) -> GitError {
        var message = ""
        if let err = git_error_last(), let text = err.pointee.message {
            message = String(cString: text).trimmingSuffixNewlines()
        }
        let resolved: Kind
        if let kind {
            resolved = kind
        } else {
            switch code {
            case GIT_ENOTFOUND.rawValue: resolved = .objectMissing
            default: resolved = .other
            }
        }
        return GitError(kind: resolved, code: code, function: function, message: message)
    }
}

/// Checks the lookup of an object the history refers to: a missing or unreadable one means the repository
/// is damaged, so the error names the object and says how to find out more.
@discardableResult
func checkObject(_ code: Int32, _ function: String, id: UnsafePointer<git_oid>?) throws -> Int32 {
    guard code < 0 else { return code }
    let libgit2 = GitError.last(code, function)
    let name = id.map { ObjectID($0).short } ?? "?"
    let problem = code == GIT_ENOTFOUND.rawValue
        ? "object \(name) is missing"
        : "object \(name) cannot be read (\(libgit2.message.isEmpty ? "error \(code)" : libgit2.message))"
    throw GitError(
        kind: .objectMissing, code: code, function: function,
        message: "\(problem): the repository is damaged; run `git fsck` to see what else is")
}

/// Calls a libgit2 function and throws on a negative return code.
@discardableResult
func check(_ code: Int32, _ function: String, kind: GitError.Kind? = nil) throws -> Int32 {
    if code < 0 { throw GitError.last(code, function, kind: kind) }
    return code
}

extension String {
    func trimmingSuffixNewlines() -> String {
        var s = Substring(self)
        while s.last == "\n" || s.last == "\r" { s = s.dropLast() }
        return String(s)
    }
}
