namespace WinterAI.Tests;

/// <summary>For fuzz-style tests where succeeding and failing are both fine, but only in the expected way.</summary>
internal static class Caught
{
    public static Exception? From(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
