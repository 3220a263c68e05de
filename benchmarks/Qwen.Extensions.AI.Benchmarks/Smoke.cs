using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace Qwen.Extensions.AI.Benchmarks;

/// <summary>Runs every [Benchmark] of every case once (setup, call, cleanup), so CI proves each case works without timing anything.</summary>
public static class Smoke
{
    public static IEnumerable<Type> Cases =>
        typeof(Smoke).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.GetMethods().Any(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
            .OrderBy(t => t.Name, StringComparer.Ordinal);

    public static async Task<IReadOnlyList<SmokeResult>> RunAllAsync()
    {
        var results = new List<SmokeResult>();
        foreach (var type in Cases)
        {
            var instance = Activator.CreateInstance(type)!;
            Invoke<GlobalSetupAttribute>(instance);
            try
            {
                foreach (var method in type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null))
                {
                    var value = method.Invoke(instance, null);
                    var count = value switch
                    {
                        Task<int> task => await task,
                        int n => n,
                        _ => throw new InvalidOperationException($"{type.Name}.{method.Name} returned {value?.GetType().Name}; benchmarks return int or Task<int>."),
                    };
                    results.Add(new SmokeResult(type.Name, method.Name, count));
                }
            }
            finally
            {
                Invoke<GlobalCleanupAttribute>(instance);
            }
        }

        return results;
    }

    private static void Invoke<TAttribute>(object instance)
        where TAttribute : Attribute
    {
        foreach (var method in instance.GetType().GetMethods().Where(m => m.GetCustomAttribute<TAttribute>() is not null))
        {
            method.Invoke(instance, null);
        }
    }
}

/// <summary>One smoke call: the case, the contender and how many items it received.</summary>
public sealed record SmokeResult(string Case, string Contender, int Count);
