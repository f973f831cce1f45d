import Testing
@testable import Decomposition

@Test func decompositionModuleLoads() {
    #expect(Bool(true))
}
