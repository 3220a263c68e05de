using System.Text.Json;

namespace Qwen.Extensions.AI.Tests.TestUtilities;

public sealed class FixtureTests
{
    [Fact]
    public void EveryJsonFixtureIsValidJson()
    {
        var files = Directory.GetFiles(Fixture.Root, "*.json", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        Assert.All(files, f => JsonDocument.Parse(File.ReadAllBytes(f)).Dispose());
    }

    [Fact]
    public void EveryStreamFixtureIsDataEventsOfValidJsonAndEndsWithDoneUnlessItIsAboutFailure()
    {
        var files = Directory.GetFiles(Path.Combine(Fixture.Root, "Streams"), "*.sse");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var events = File.ReadAllText(file).Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
            Assert.All(events.Where(e => e != "data: [DONE]"), e => JsonDocument.Parse(e["data: ".Length..]).Dispose());
            var failure = Path.GetFileName(file) is "cut-before-done.sse" or "error-mid-stream.sse";
            Assert.Equal(!failure, events[^1] == "data: [DONE]");
        }
    }
}
