using BenchmarkDotNet.Running;
using Qwen.Extensions.AI.Benchmarks;

// dotnet run -c Release --project benchmarks/Qwen.Extensions.AI.Benchmarks -- --filter '*'
//   --smoke         one pass of every case and contender, no timing (what CI runs through the tests)
//   --image-memory  allocation for a request with a large image, Qwen vs OpenAIChatClient
//   --chunk-allocations  exact bytes per streamed text chunk, Qwen vs OpenAIChatClient
if (args.Contains("--smoke"))
{
    foreach (var result in await Smoke.RunAllAsync())
    {
        Console.WriteLine(result);
    }

    return 0;
}

if (args.Contains("--image-memory"))
{
    foreach (var line in await ImageMemory.MeasureAsync())
    {
        Console.WriteLine(line);
    }

    return 0;
}

if (args.Contains("--chunk-allocations"))
{
    foreach (var line in ChunkAllocations.Measure())
    {
        Console.WriteLine(line);
    }

    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, new BenchmarkConfig());
return 0;
