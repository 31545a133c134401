import Crypto
import Foundation
import GitKit

/// Keys and fingerprints of what the caches compare (parse inputs, page values, export entries): SHA-256, cut to
/// the twenty bytes of an `ObjectID`.
///
/// Not Git's blob id: libgit2's SHA-1 with collision detection hashed 84 MB per rebuild at 10,000 post-mortems,
/// a tenth of the rebuild's processor time, at a fifth of the speed of SHA-256 on a processor's SHA instructions.
/// Files are still known by their Git blob ids; these keys are made from those ids and the other inputs.
public enum ContentKey {
    /// The key of `bytes`.
    public static func of(_ bytes: some DataProtocol) -> ObjectID {
        // Twenty of SHA-256's thirty-two bytes: always enough to make an `ObjectID`.
        SHA256.hash(data: bytes).withUnsafeBytes { ObjectID(bytes: $0)! }
    }
}
