using System.ComponentModel;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Emulator;

namespace Qwen.Extensions.AI.IntegrationTests.Emulator;

/// <summary>
/// The flows of MEAI's provider conformance suite (function invocation with parameters, optional, nested and array
/// parameters, several calls, structured output with tools, the summarizing reducer, system instructions), driven through
/// <see cref="FunctionInvokingChatClient"/> and a <see cref="QwenChatClient"/> against the emulator over real sockets.
/// </summary>
public sealed class EmulatorConformanceFlowTests : IAsyncLifetime
{
    private QwenEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await QwenEmulator.StartAsync();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SecretComputation_IsChosenByItsNameAndGetsBothNumbers(bool streaming)
    {
        using var client = CreateInvokingClient();
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create((int a, int b) => a * b, "SecretComputation")] };
        const string prompt = "What is the result of SecretComputation on 42 and 84?";

        var text = streaming
            ? (await client.GetStreamingResponseAsync(prompt, options, TestTimeout.Token).ToChatResponseAsync(TestTimeout.Token)).Text
            : (await client.GetResponseAsync(prompt, options, TestTimeout.Token)).Text;

        Assert.Contains("3528", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SecretComputation", "What is the result of secret computation on 6 and 7?")]
    [InlineData("secret_computation", "What is the result of SecretComputation on 6 and 7?")]
    [InlineData("SECRET-COMPUTATION", "Run the Secret Computation on 6 and 7.")]
    public async Task ToolChoice_IgnoresCasingAndSeparators(string toolName, string prompt)
    {
        using var client = CreateInvokingClient();
        var options = new ChatOptions
        {
            Tools = [AIFunctionFactory.Create((int a, int b) => a * b, toolName), AIFunctionFactory.Create(() => "sunny", "GetWeather")],
        };

        var response = await client.GetResponseAsync(prompt, options, TestTimeout.Token);

        Assert.Contains("42", response.Text, StringComparison.Ordinal);
        var assistant = _emulator.Requests[1].Messages.First(m => m.TryGetProperty("tool_calls", out _));
        Assert.Equal(toolName, assistant.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString());
    }

    [Fact]
    public async Task ToolChoice_ByDescriptionWords()
    {
        using var client = CreateInvokingClient();
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create(() => 42, "Lookup", "Returns the secret number")] };

        var response = await client.GetResponseAsync("What is the current secret number?", options, TestTimeout.Token);

        Assert.Contains("42", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OptionalParameter_TakesTheValueThePromptNames()
    {
        using var client = CreateInvokingClient();
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create((string id = "defaultId") => id is "foo" ? 42 : -1, "GetSecretNumberById")] };

        var response = await client.GetResponseAsync("What is the secret number for id foo?", options, TestTimeout.Token);

        Assert.Contains("42", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NestedParameter_FillsTheObjectIncludingItsOptionalProperty()
    {
        using var client = CreateInvokingClient();
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create((PersonRecord person) => person.Name is "John" ? 42 + person.Age : -1, "GetSecretNumberByPerson")] };

        var response = await client.GetResponseAsync("What is the secret number for John aged 19?", options, TestTimeout.Token);

        Assert.Contains("61", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ArrayParameter_GetsEveryListedItem()
    {
        using var client = CreateInvokingClient();
        string? shopper = null;
        List<string> cart = [];
        var options = new ChatOptions
        {
            Tools = [AIFunctionFactory.Create((string[] items, string shopperId) => { cart.AddRange(items); shopper = shopperId; }, "AddItemsToShoppingCart")],
        };

        await client.GetResponseAsync("Can you add bacon, lettuce, and tomatoes to Peter's shopping cart?", options, TestTimeout.Token);

        Assert.Equal("Peter", shopper);
        Assert.Equal(["bacon", "lettuce", "tomatoes"], cart);
    }

    [Fact]
    public async Task SeveralThings_WithParallelCalls_AreCalledInOneTurn()
    {
        using var client = CreateInvokingClient();
        List<string> asked = [];
        var options = new ChatOptions { Tools = [PersonAge(asked)], AllowMultipleToolCalls = true };

        var response = await client.GetResponseAsync("How much older is Elsa than Anna? Return the age difference as a single number.", options, TestTimeout.Token);

        Assert.Matches(@"\b3\b", response.Text);
        Assert.Equal(["Elsa", "Anna"], asked);
        Assert.Equal(2, _emulator.Requests.Count);
        Assert.True(_emulator.Requests[0].GetProperty("parallel_tool_calls")!.Value.GetBoolean());
    }

    [Fact]
    public async Task SeveralThings_WithoutParallelCalls_AreCalledOnePerTurnInSequence()
    {
        using var client = CreateInvokingClient();
        List<string> asked = [];
        var options = new ChatOptions { Tools = [PersonAge(asked)] };

        var response = await client.GetResponseAsync("How much older is Elsa than Anna? Return the age difference as a single number.", options, TestTimeout.Token);

        Assert.Matches(@"\b3\b", response.Text);
        Assert.Equal(["Elsa", "Anna"], asked);
        Assert.Equal(3, _emulator.Requests.Count);
    }

    [Fact]
    public async Task SeveralTools_WithoutParallelCalls_AreEachCalledInTurn()
    {
        using var client = CreateInvokingClient();
        var options = new ChatOptions
        {
            Tools =
            [
                AIFunctionFactory.Create(() => "sunny", "GetWeather", "Gets the current weather"),
                AIFunctionFactory.Create(() => "14:30", "GetLocalTime", "Gets the current local time"),
            ],
        };

        var response = await client.GetResponseAsync("What is the weather and what is the local time?", options, TestTimeout.Token);

        Assert.Contains("sunny", response.Text, StringComparison.Ordinal);
        Assert.Contains("14:30", response.Text, StringComparison.Ordinal);
        Assert.Equal(3, _emulator.Requests.Count);
    }

    [Fact]
    public async Task StructuredOutput_AfterToolResults_IsASchemaInstance()
    {
        using var client = CreateInvokingClient();
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create([Description("Gets the temperature of a city")] (string city) => 22, "GetTemperature")] };

        var response = await client.GetResponseAsync<CityTemperature>("What is the temperature in Paris?", options, cancellationToken: TestTimeout.Token);

        Assert.True(response.TryGetResult(out var result), response.Text);
        Assert.Equal("Paris", result.City);
        Assert.Equal(22, result.Temperature);
        Assert.Equal(2, _emulator.Requests.Count);
    }

    [Fact]
    public async Task SummarizingReducer_GetsASummaryOfTheConversation()
    {
        using var client = _emulator.CreateChatClient();
        var reducer = new SummarizingChatReducer(client, targetCount: 1, threshold: 0);
        List<ChatMessage> history =
        [
            new(ChatRole.System, "You are a helpful assistant."),
            new(ChatRole.User, "My name is Ada and I live in Paris."),
            new(ChatRole.Assistant, "Nice to meet you, Ada!"),
            new(ChatRole.User, "What is 6 * 7?"),
        ];

        var reduced = (await reducer.ReduceAsync(history, TestTimeout.Token)).ToList();

        Assert.Equal([ChatRole.System, ChatRole.Assistant, ChatRole.User], reduced.Select(m => m.Role));
        var summary = reduced[1].Text;
        Assert.StartsWith("Summary:", summary, StringComparison.Ordinal);
        Assert.Contains("My name is Ada and I live in Paris.", summary, StringComparison.Ordinal);
        Assert.Contains("Nice to meet you, Ada!", summary, StringComparison.Ordinal);
        Assert.Contains(_emulator.LastRequest!.Messages, m => m.GetProperty("role").GetString() == "system"
            && m.GetProperty("content").GetString()!.Contains("summary of the entire conversation", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Always reply with 'pong'.", "ping?", "pong")]
    [InlineData("Answer in uppercase.", "Hello", "HELLO! I AM QWEN.")]
    [InlineData("Answer in lowercase.", "Who are you?", "i am qwen")]
    public async Task LeadingSystemMessage_InstructionsAreHonoured(string instruction, string prompt, string expected)
    {
        using var client = _emulator.CreateChatClient();

        var response = await client.GetResponseAsync([new(ChatRole.System, instruction), new(ChatRole.User, prompt)], cancellationToken: TestTimeout.Token);

        Assert.StartsWith(expected, response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireSpecific_CallsThatToolOnce()
    {
        using var client = CreateInvokingClient();
        var shieldsUp = false;
        var options = new ChatOptions
        {
            Tools = [AIFunctionFactory.Create(() => 123, "GetSecretNumber"), AIFunctionFactory.Create(() => shieldsUp = true, "ShieldsUp")],
            ToolMode = ChatToolMode.RequireSpecific("ShieldsUp"),
        };

        await client.GetResponseAsync("What's the current secret number?", options, TestTimeout.Token);

        Assert.True(shieldsUp);
    }

    private static AIFunction PersonAge(List<string> asked) => AIFunctionFactory.Create(
        (string personName) =>
        {
            asked.Add(personName);
            return personName switch { "Elsa" => 21, "Anna" => 18, _ => 30 };
        },
        "GetPersonAge");

    private IChatClient CreateInvokingClient() => _emulator.CreateChatClient().AsBuilder().UseFunctionInvocation().Build();

    public sealed record PersonRecord(string Name, int Age = 42);

    public sealed record CityTemperature(string City, int Temperature);
}
