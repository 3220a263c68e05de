using Qwen.Extensions.AI.Wire;
using static Qwen.Extensions.AI.QwenModelCapabilities;

namespace Qwen.Extensions.AI.Tests.Wire;

public sealed class ModelFactsTests
{
    [Theory]
    [InlineData("qwq-plus", StreamOnly | ThinkingOnly)]
    [InlineData("QVQ-MAX-2025-03-25", StreamOnly | ThinkingOnly)]
    [InlineData("qwen3-omni-flash", StreamOnly | AudioInput)]
    [InlineData("qwen3.5-omni-plus", StreamOnly | AudioInput)]
    [InlineData("qwen3-asr-flash", SpeechRecognition | AudioInput)]
    [InlineData("qwen3-asr-flash-2026-02-10", SpeechRecognition | AudioInput)]
    [InlineData("qwen3-asr-flash-us", SpeechRecognition | AudioInput)]
    [InlineData("qwen3-asr-flash-filetrans", None)]
    [InlineData("qwen3-vl-235b-a22b-thinking", ThinkingOnly)]
    [InlineData("qwen3-235b-a22b-thinking-2507", ThinkingOnly)]
    [InlineData("qwen-plus", JsonSchema | ExplicitCache)]
    [InlineData("qwen-plus-2025-07-28", JsonSchema)]
    [InlineData("qwen-plus-us", JsonSchema)]
    [InlineData("qwen3.5-plus", ThinkingByDefault | JsonSchema | ExplicitCache)]
    [InlineData("qwen3.5-27b", ThinkingByDefault)]
    [InlineData("qwen3.6-plus", ThinkingByDefault | PreserveThinking | ExplicitCache)]
    [InlineData("qwen3.6-flash", ThinkingByDefault)]
    [InlineData("qwen3.7-flash", ThinkingByDefault | JsonSchema | JsonModeWithThinking | PreserveThinking)]
    [InlineData("qwen3.7-max-2026-06-08", ThinkingByDefault | JsonSchema | JsonModeWithThinking | PreserveThinking)]
    [InlineData("qwen3.8-max", ThinkingByDefault | JsonSchema | JsonModeWithThinking | ReasoningTiers | PreserveThinking | ExplicitCache)]
    [InlineData("qwen3.8-flash", ThinkingByDefault | JsonSchema | JsonModeWithThinking | ReasoningTiers | PreserveThinking)]
    [InlineData("qwen3.8-turbo-preview", ThinkingByDefault | JsonSchema | JsonModeWithThinking | ReasoningTiers)]
    [InlineData("qwen-turbo", None)]
    [InlineData("my-finetune", None)]
    public void BuiltInRowsResolveFamiliesSnapshotsAndRegionSuffixes(string model, QwenModelCapabilities expected) =>
        Assert.Equal(expected, ModelFacts.Default.Get(model));

    [Fact]
    public void UserEntriesWinOverBuiltInRowsAndPatternsMatch()
    {
        var options = new QwenClientOptions();
        options.ModelCapabilities["qwen3.9-*"] = options.GetModelCapabilities("qwen3.8-max");
        options.ModelCapabilities["qwen-plus"] = None;

        Assert.Equal(options.GetModelCapabilities("qwen3.8-max"), options.GetModelCapabilities("qwen3.9-max"));
        Assert.Equal(None, options.GetModelCapabilities("QWEN-PLUS"));
        Assert.Equal(JsonSchema, options.GetModelCapabilities("qwen-plus-latest"));
    }

    [Fact]
    public void AnExactIdWinsOverAPatternAndALongerPatternOverAShorterOne()
    {
        var facts = new ModelFacts([new("a*", JsonSchema), new("ab*", ExplicitCache), new("abc", AudioInput)]);

        Assert.Equal(AudioInput, facts.Get("abc"));
        Assert.Equal(ExplicitCache, facts.Get("abd"));
        Assert.Equal(JsonSchema, facts.Get("ax"));
        Assert.Equal(None, facts.Get("b"));
        Assert.Equal(None, facts.Get(null));
    }

    [Fact]
    public void AnEmptyUserKeyIsRefusedWithAClearMessage()
    {
        var options = new QwenClientOptions();
        options.ModelCapabilities[" "] = JsonSchema;

        var ex = Assert.Throws<ArgumentException>(() => options.GetModelCapabilities("qwen-plus"));
        Assert.Contains("ModelCapabilities", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOmniModelAddedByTheUserTakesAudio()
    {
        var options = new QwenClientOptions();
        options.ModelCapabilities["my-omni"] = AudioInput;

        Assert.True(new ModelFacts(options.ModelCapabilities).Has("my-omni", AudioInput));
        Assert.False(ModelFacts.Default.Has("my-omni", AudioInput));
    }
}
