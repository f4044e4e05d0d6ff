namespace WinterAI.Bench;

/// <summary>How the follower got the answer to their question, if they did.</summary>
public enum Outcome
{
    /// <summary>As the passive reply to one of WeChat's deliveries of the question.</summary>
    Passive,
    /// <summary>Through a customer-service push.</summary>
    Push,
    /// <summary>By sending <c>1</c> after the wait message.</summary>
    Fetch,
    /// <summary>Never.</summary>
    Lost,
}
