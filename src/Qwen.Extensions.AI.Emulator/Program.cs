using System.Globalization;
using Qwen.Extensions.AI.Emulator;

// `dotnet run --project src/Qwen.Extensions.AI.Emulator [-- --port 5199 --key sk-my-key]` serves until Ctrl+C.
var options = new QwenEmulatorOptions();
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--port":
            options.Port = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            break;
        case "--key":
            options.ApiKey = args[i + 1];
            break;
        default:
            Console.Error.WriteLine($"Unknown option {args[i]}. Usage: [--port N] [--key KEY]");
            return 2;
    }
}

var emulator = await QwenEmulator.StartAsync(options).ConfigureAwait(false);
var stopped = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopped.TrySetResult();
};
Console.WriteLine("Qwen emulator (DashScope compatible mode) is listening.");
Console.WriteLine($"Endpoint: {emulator.Endpoint}");
Console.WriteLine($"API key:  {emulator.ApiKey}");
Console.WriteLine("Press Ctrl+C to stop.");
await stopped.Task.ConfigureAwait(false);
await emulator.DisposeAsync().ConfigureAwait(false);
return 0;
