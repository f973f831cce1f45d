import FactorizeCLI
import Foundation

exit(runFactorize(Array(CommandLine.arguments.dropFirst())))
