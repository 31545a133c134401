import Foundation
import FuzzSupport

// The input is the body of a Contributing Factors or an Action Items section (its first byte chooses), so
// every mutation exercises the table and list readers of factors and action items.
exit(runFuzzer { bytes, count in
    let input = fuzzInput(bytes, count)
    guard let choice = input.first else { return 0 }
    let heading = choice & 1 == 0 ? "## Contributing Factors\n\n" : "## Action Items\n\n"
    parseAndCheck(Data(heading.utf8) + input.dropFirst())
    return 0
})
