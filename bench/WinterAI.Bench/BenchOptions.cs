using System.Globalization;

namespace WinterAI.Bench;

/// <summary>Command-line arguments. <c>--quick</c> is a smoke run: 50 followers over 5 s.</summary>
public sealed record BenchOptions(int Followers, TimeSpan Ramp, IReadOnlyList<BenchConfiguration> Configurations, int Seed, string WebDll, string ResultsDirectory, IReadOnlyDictionary<string, string> Overrides)
{
    public const string Usage =
        "usage: WinterAI.Bench --web-dll PATH [--followers 500] [--ramp 20] [--configs a,b,c] [--seed 20251121] [--results DIR] [--quick] [--set Section__Key=value ...]\n" +
        "  --configs: a = one instance, in-memory; b = one instance, Redis; c = two instances, Redis; d = c with customer-service push\n" +
        "  --ramp: seconds over which the followers' first messages are spread\n" +
        "  --set: an extra environment variable for every WinterAI instance (experiments and negative controls; it overrides the bench's own)";

    public static BenchOptions Parse(string[] args)
    {
        var followers = 500;
        var ramp = 20.0;
        var configs = "a,b,c";
        var seed = 20251121;
        string? webDll = null;
        var results = Path.Combine("bench", "results");
        var quick = false;
        var overrides = new Dictionary<string, string>();
        bool followersGiven = false, rampGiven = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            switch (args[i])
            {
                case "--followers":
                    followers = int.Parse(Next(), CultureInfo.InvariantCulture);
                    followersGiven = true;
                    break;
                case "--ramp":
                    ramp = double.Parse(Next(), CultureInfo.InvariantCulture);
                    rampGiven = true;
                    break;
                case "--configs":
                    configs = Next();
                    break;
                case "--seed":
                    seed = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--web-dll":
                    webDll = Next();
                    break;
                case "--results":
                    results = Next();
                    break;
                case "--set":
                    var setting = Next();
                    var equals = setting.IndexOf('=');
                    if (equals < 1)
                    {
                        throw new ArgumentException($"--set needs Section__Key=value, got '{setting}'.\n{Usage}");
                    }

                    overrides[setting[..equals]] = setting[(equals + 1)..];
                    break;
                case "--quick":
                    quick = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown argument {args[i]}.\n{Usage}");
            }
        }

        if (quick)
        {
            followers = followersGiven ? followers : 50;
            ramp = rampGiven ? ramp : 5;
        }

        if (followers < 1 || ramp < 0)
        {
            throw new ArgumentException($"--followers must be at least 1 and --ramp not negative.\n{Usage}");
        }

        var chosen = configs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => BenchConfiguration.All.FirstOrDefault(c => c.Name == name) ?? throw new ArgumentException($"Unknown configuration '{name}'.\n{Usage}"))
            .ToList();
        if (webDll is null || !File.Exists(webDll))
        {
            throw new ArgumentException($"--web-dll must name the built WinterAI.Web.dll (got '{webDll}').\n{Usage}");
        }

        return new BenchOptions(followers, TimeSpan.FromSeconds(ramp), chosen, seed, Path.GetFullPath(webDll), Path.GetFullPath(results), overrides);
    }
}
