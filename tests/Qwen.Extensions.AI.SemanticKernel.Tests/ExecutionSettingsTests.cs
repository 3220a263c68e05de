using System.Text.Json;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Qwen.Extensions.AI.SemanticKernel.Tests.Infrastructure;

namespace Qwen.Extensions.AI.SemanticKernel.Tests;

/// <summary>Typed settings, ExtensionData and prompt-template JSON reach the wire with the JSON types the service expects.</summary>
public sealed class ExecutionSettingsTests : IAsyncLifetime
{
    private EmulatorServer _server = null!;
    private Kernel _kernel = null!;

    public async Task InitializeAsync()
    {
        _server = await EmulatorServer.StartAsync();
        _kernel = Kernel.CreateBuilder().AddQwenChatCompletion("qwen-plus", _server.ApiKey, _server.Endpoint).Build();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonElement> SendAsync(PromptExecutionSettings settings, bool streaming = false)
    {
        var chat = _kernel.GetRequiredService<IChatCompletionService>();
        var history = new ChatHistory();
        history.AddUserMessage("Hi");
        if (streaming)
        {
            await chat.GetStreamingChatMessageContentsAsync(history, settings, _kernel).ToListAsync();
        }
        else
        {
            await chat.GetChatMessageContentAsync(history, settings, _kernel);
        }

        return _server.Requests[^1];
    }

    private static void AssertRaw(JsonElement body, string name, JsonValueKind kind, string rawText)
    {
        Assert.True(body.TryGetProperty(name, out var value), $"'{name}' missing from {body}");
        Assert.Equal(kind, value.ValueKind);
        Assert.Equal(rawText, value.GetRawText());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TypedQwenSettingsArriveWithWireNamesAndTypes(bool streaming)
    {
        var settings = new QwenPromptExecutionSettings
        {
            EnableThinking = true,
            ThinkingBudget = 50,
            TopK = 20,
            EnableSearch = true,
            SearchOptions = new Dictionary<string, object?> { ["forced_search"] = true, ["search_strategy"] = "max" },
            VlHighResolutionImages = true,
            Temperature = 0.5,
            TopP = 0.8,
            MaxTokens = 100,
            Seed = 7,
            PresencePenalty = 0.25,
            RepetitionPenalty = 1.05,
            StopSequences = ["END"],
        };

        var body = await SendAsync(settings, streaming);

        AssertRaw(body, "enable_thinking", JsonValueKind.True, "true");
        AssertRaw(body, "thinking_budget", JsonValueKind.Number, "50");
        AssertRaw(body, "top_k", JsonValueKind.Number, "20");
        AssertRaw(body, "enable_search", JsonValueKind.True, "true");
        AssertRaw(body, "vl_high_resolution_images", JsonValueKind.True, "true");
        AssertRaw(body, "temperature", JsonValueKind.Number, "0.5");
        AssertRaw(body, "top_p", JsonValueKind.Number, "0.8");
        AssertRaw(body, "max_tokens", JsonValueKind.Number, "100");
        AssertRaw(body, "seed", JsonValueKind.Number, "7");
        AssertRaw(body, "presence_penalty", JsonValueKind.Number, "0.25");
        AssertRaw(body, "repetition_penalty", JsonValueKind.Number, "1.05");
        Assert.Equal("END", body.GetProperty("stop").EnumerateArray().Single().GetString());
        var search = body.GetProperty("search_options");
        Assert.Equal(JsonValueKind.True, search.GetProperty("forced_search").ValueKind);
        Assert.Equal("max", search.GetProperty("search_strategy").GetString());
        Assert.Equal("qwen-plus", body.GetProperty("model").GetString());
    }

    [Fact]
    public async Task UnsetTypedSettingsAreNotSent()
    {
        var body = await SendAsync(new QwenPromptExecutionSettings { EnableThinking = false });

        AssertRaw(body, "enable_thinking", JsonValueKind.False, "false");
        foreach (var name in new[] { "top_k", "thinking_budget", "enable_search", "search_options", "temperature", "max_tokens", "seed" })
        {
            Assert.False(body.TryGetProperty(name, out _), $"'{name}' was sent: {body}");
        }
    }

    [Fact]
    public async Task ExtensionDataWithSKValueTypesArrivesWithWireTypes()
    {
        // What SK itself produces: numbers as double, objects as JsonElement.
        var settings = new PromptExecutionSettings
        {
            ModelId = "qwen-max",
            ExtensionData = new Dictionary<string, object>
            {
                ["enable_thinking"] = false,
                ["thinking_budget"] = 50.0,
                ["top_k"] = 20.0,
                ["max_tokens"] = 64.0,
                ["enable_search"] = true,
                ["search_options"] = Json.Parse("""{"forced_search":true}"""),
                ["vl_high_resolution_images"] = true,
            },
        };

        var body = await SendAsync(settings);

        Assert.Equal("qwen-max", body.GetProperty("model").GetString());
        AssertRaw(body, "enable_thinking", JsonValueKind.False, "false");
        AssertRaw(body, "thinking_budget", JsonValueKind.Number, "50");
        AssertRaw(body, "top_k", JsonValueKind.Number, "20");
        AssertRaw(body, "max_tokens", JsonValueKind.Number, "64");
        AssertRaw(body, "enable_search", JsonValueKind.True, "true");
        AssertRaw(body, "vl_high_resolution_images", JsonValueKind.True, "true");
        Assert.Equal(JsonValueKind.True, body.GetProperty("search_options").GetProperty("forced_search").ValueKind);
    }

    [Fact]
    public async Task SettingsFromAPromptTemplateJSONConfigArriveWithWireTypes()
    {
        var config = PromptTemplateConfig.FromJson("""
            {
              "name": "Ask",
              "template": "Answer briefly: {{$question}}",
              "template_format": "semantic-kernel",
              "input_variables": [ { "name": "question" } ],
              "execution_settings": {
                "default": {
                  "model_id": "qwen-turbo",
                  "temperature": 0.3,
                  "top_k": 40,
                  "enable_thinking": true,
                  "thinking_budget": 1024,
                  "search_options": { "forced_search": false, "search_strategy": "turbo" },
                  "enable_search": true
                }
              }
            }
            """);
        var function = KernelFunctionFactory.CreateFromPrompt(config);

        await _kernel.InvokeAsync(function, new KernelArguments { ["question"] = "why is the sky blue?" });

        var body = _server.Requests[^1];
        Assert.Equal("qwen-turbo", body.GetProperty("model").GetString());
        AssertRaw(body, "temperature", JsonValueKind.Number, "0.3");
        AssertRaw(body, "top_k", JsonValueKind.Number, "40");
        AssertRaw(body, "enable_thinking", JsonValueKind.True, "true");
        AssertRaw(body, "thinking_budget", JsonValueKind.Number, "1024");
        AssertRaw(body, "enable_search", JsonValueKind.True, "true");
        Assert.Equal("turbo", body.GetProperty("search_options").GetProperty("search_strategy").GetString());
        Assert.Contains("why is the sky blue?", body.GetProperty("messages")[0].GetProperty("content").GetString());
    }

    [Fact]
    public async Task DeserializedQwenPromptExecutionSettingsReachTheWire()
    {
        var settings = JsonSerializer.Deserialize<QwenPromptExecutionSettings>("""{"enable_thinking":true,"thinking_budget":300,"top_k":5}""")!;

        var body = await SendAsync(settings);

        AssertRaw(body, "enable_thinking", JsonValueKind.True, "true");
        AssertRaw(body, "thinking_budget", JsonValueKind.Number, "300");
        AssertRaw(body, "top_k", JsonValueKind.Number, "5");
    }

    [Fact]
    public void FromExecutionSettingsReadsTypedValuesFromExtensionDataAndKeepsTheRest()
    {
        var source = new PromptExecutionSettings
        {
            ServiceId = "qwen",
            ModelId = "qwen-plus",
            FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(),
            ExtensionData = new Dictionary<string, object>
            {
                ["enable_thinking"] = Json.Parse("true"),
                ["thinking_budget"] = 256.0,
                ["search_options"] = Json.Parse("""{"forced_search":true}"""),
                ["logprobs"] = true,
            },
        };

        var qwen = QwenPromptExecutionSettings.FromExecutionSettings(source);

        Assert.True(qwen.EnableThinking);
        Assert.Equal(256, qwen.ThinkingBudget);
        Assert.NotNull(qwen.SearchOptions);
        Assert.Equal("qwen-plus", qwen.ModelId);
        Assert.Equal("qwen", qwen.ServiceId);
        Assert.Same(source.FunctionChoiceBehavior, qwen.FunctionChoiceBehavior);
        Assert.Equal(["logprobs"], qwen.ExtensionData!.Keys);
    }

    [Fact]
    public void FromExecutionSettingsRejectsAValueOfTheWrongTypeNamingTheSetting()
    {
        var source = new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["thinking_budget"] = 12.5 } };

        var ex = Assert.Throws<ArgumentException>(() => QwenPromptExecutionSettings.FromExecutionSettings(source));

        Assert.Contains("thinking_budget", ex.Message);
    }

    [Fact]
    public void FrozenSettingsRefuseChangesAndCloneCopiesEveryValue()
    {
        var settings = new QwenPromptExecutionSettings { EnableThinking = true, ThinkingBudget = 9, SearchOptions = new Dictionary<string, object?> { ["a"] = 1 } };
        var clone = (QwenPromptExecutionSettings)settings.Clone();
        settings.Freeze();

        Assert.Throws<InvalidOperationException>(() => settings.TopK = 3);
        Assert.True(clone.EnableThinking);
        Assert.Equal(9, clone.ThinkingBudget);
        Assert.NotSame(settings.SearchOptions, clone.SearchOptions);
    }
}
