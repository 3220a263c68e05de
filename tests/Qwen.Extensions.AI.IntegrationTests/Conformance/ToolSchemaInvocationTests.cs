using Microsoft.Extensions.AI;
using Qwen.Extensions.AI.Emulator;

namespace Qwen.Extensions.AI.IntegrationTests.Conformance;

/// <summary>
/// Each of the thirty tool schemas round-trips: the emulator generates arguments from the schema it received, and
/// FunctionInvokingChatClient binds them to the .NET parameter types (a binding failure would skip the invocation).
/// </summary>
public sealed class ToolSchemaInvocationTests : IAsyncLifetime
{
    private QwenEmulator _emulator = null!;

    public static TheoryData<string> ToolNames => [.. new ToolCatalog().Create().Select(t => t.Name)];

    public async Task InitializeAsync() => _emulator = await QwenEmulator.StartAsync();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Theory]
    [MemberData(nameof(ToolNames))]
    public async Task RequiredToolIsCalledWithArgumentsThatBindToItsParameterTypes(string name)
    {
        var catalog = new ToolCatalog();
        using var client = _emulator.CreateChatClient().AsBuilder().UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = [.. catalog.Create()], ToolMode = ChatToolMode.RequireSpecific(name) };

        var response = await client.GetResponseAsync($"Please run {name} with 'Ada' and 3 on 2025-01-01.", options, TestTimeout.Token);

        Assert.True(catalog.Invoked.ContainsKey(name), $"{name} was not invoked; the answer was: {response.Text}");
        Assert.Single(catalog.Invoked);
        Assert.Contains($"{name} got {catalog.Invoked[name]}", response.Text);
        var requests = _emulator.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal(name, requests[0].GetProperty("tool_choice")!.Value.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal(30, requests[0].ToolNames.Count);
        Assert.Contains(requests[1].Messages, m => m.GetProperty("role").GetString() == "tool");
    }
}
