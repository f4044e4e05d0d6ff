using System.Text;

namespace WinterAI.Tests.Turns;

/// <summary>Random answers that mix every kind of text that is hard to cut: multi-byte, surrogate pairs, clusters.</summary>
internal static class RandomAnswers
{
    private static readonly string[] Clusters =
    [
        "👨‍👩‍👧‍👦", "👩🏽‍💻", "🏳️‍🌈", "👍🏽", "🇨🇳", "🇯🇵", "🇺🇸", "\u1100\u1161\u11A8", "क्षि", "\r\n",
    ];

    public static string Next(Random random, int maxLength)
    {
        var target = random.Next(0, maxLength + 1);
        var builder = new StringBuilder(target);
        while (true)
        {
            var token = Token(random);
            if (builder.Length + token.Length > target)
            {
                return builder.ToString();
            }

            builder.Append(token);
        }
    }

    private static string Token(Random random) => random.Next(12) switch
    {
        0 => Word(random),
        1 => new[] { ". ", ", ", "! ", "? ", "; ", "3.14", "e.g." }[random.Next(7)],
        2 or 3 => Cjk(random),
        4 => new[] { "。", "，", "！", "？", "；", "…", "”", "）" }[random.Next(8)],
        5 => char.ConvertFromUtf32(random.Next(0x1F600, 0x1F650)),
        6 => Clusters[random.Next(Clusters.Length)],
        7 => Combined(random),
        8 => "\n",
        9 => "\n\n",
        10 => " ",
        _ => new string((char)random.Next(0x80, 0x800), 1),
    };

    private static string Word(Random random) =>
        new(Enumerable.Range(0, random.Next(1, 9)).Select(_ => (char)random.Next('a', 'z' + 1)).ToArray());

    private static string Cjk(Random random) =>
        new(Enumerable.Range(0, random.Next(1, 21)).Select(_ => (char)random.Next(0x4E00, 0x9FA6)).ToArray());

    private static string Combined(Random random) =>
        (char)random.Next('a', 'z' + 1) + new string(Enumerable.Range(0, random.Next(1, 4)).Select(_ => (char)random.Next(0x0300, 0x0370)).ToArray());
}
