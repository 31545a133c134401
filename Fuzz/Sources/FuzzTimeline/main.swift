import Foundation
import FuzzSupport

// The input is the body of a Timeline section, so every mutation exercises timeline extraction: tables,
// lists, code blocks, one `###` per event and the time formats of `TimeText`. A date in the front matter
// makes times resolve against a day, as they do in real archives.
exit(runFuzzer { bytes, count in
    parseAndCheck(Data("---\ndate: 2024-03-05\n---\n## Timeline\n\n".utf8) + fuzzInput(bytes, count))
    return 0
})
