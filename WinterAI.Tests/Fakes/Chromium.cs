using Microsoft.Playwright;

namespace WinterAI.Tests.Fakes;

/// <summary>
/// Debian's Chromium driven by Playwright. Playwright's own browser download cannot work here, so the tests use the
/// system browser (<c>.ci/run</c> installs it) and are ignored, saying why, where it is missing.
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public const string MissingMessage = "/usr/bin/chromium is not installed; browser tests skipped (apt-get install chromium, as .ci/run does)";

    private static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    /// <summary>A phone as WeChat's browser sees it: 390×844 CSS pixels at device scale 2, touch, Chinese locale.</summary>
    public static BrowserNewContextOptions Phone() => new()
    {
        ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        DeviceScaleFactor = 2,
        IsMobile = true,
        HasTouch = true,
        Locale = "zh-CN",
        TimezoneId = "Asia/Shanghai",
        UserAgent = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.50",
    };

    /// <summary>Starts Playwright and the browser; ignores the calling test when the browser is not installed.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            Assert.Ignore(MissingMessage);
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Arguments,
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
