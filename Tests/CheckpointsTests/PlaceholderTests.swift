import Testing

@Test func checkpointsPlaceholder() {}
