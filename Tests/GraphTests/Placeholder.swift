import Testing
@testable import Graph

@Test func graphModuleLoads() {
    #expect(Bool(true))
}
