import HindsightCLI

Hindsight.run()
