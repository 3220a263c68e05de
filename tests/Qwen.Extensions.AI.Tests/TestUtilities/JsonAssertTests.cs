using Xunit.Sdk;

namespace Qwen.Extensions.AI.Tests.TestUtilities;

public sealed class JsonAssertTests
{
    [Fact]
    public void ObjectPropertyOrderDoesNotMatter() =>
        JsonAssert.Equal("""{"a":1,"b":{"c":true,"d":"x"}}""", """{"b":{"d":"x","c":true},"a":1}""");

    [Fact]
    public void ArrayOrderMatters() =>
        Assert.Contains(JsonAssert.Differences("""{"a":[1,2]}""", """{"a":[2,1]}"""), d => d.StartsWith("$.a[0]", StringComparison.Ordinal));

    [Fact]
    public void NumbersCompareByLiteralSoFiftyIsNotFiftyPointZero() =>
        Assert.Contains("$.thinking_budget: expected 50, got 50.0", JsonAssert.Differences("""{"thinking_budget":50}""", """{"thinking_budget":50.0}"""));

    [Fact]
    public void MissingAndUnexpectedPropertiesAreNamedByPath()
    {
        var diffs = JsonAssert.Differences("""{"a":{"b":1}}""", """{"a":{"c":1}}""");
        Assert.Contains(diffs, d => d.StartsWith("$.a.b: missing", StringComparison.Ordinal));
        Assert.Contains(diffs, d => d.StartsWith("$.a.c: unexpected property", StringComparison.Ordinal));
    }

    [Fact]
    public void FailureMessageShowsDiffAndBothDocuments()
    {
        var ex = Assert.Throws<XunitException>(() => JsonAssert.Equal("""{"x":"a"}""", """{"x":"b"}"""));
        Assert.Contains("$.x: expected \"a\", got \"b\"", ex.Message);
        Assert.Contains("Expected:", ex.Message);
        Assert.Contains("Actual:", ex.Message);
    }
}
