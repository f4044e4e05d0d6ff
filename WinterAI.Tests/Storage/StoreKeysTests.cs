using WinterAI.Domain;
using WinterAI.Domain.Storage;

namespace WinterAI.Tests.Storage;

public sealed class StoreKeysTests
{
    private static readonly StoreKeys Keys = new("winterai:");

    private static readonly Func<Follower, string, string>[] PerMessage =
    [
        Keys.Turn, Keys.PagesRead, Keys.Claim, Keys.Deliveries, Keys.Reply, Keys.Outcome, Keys.Pushed, Keys.Replied,
    ];

    [Test]
    public void PerMessageKeysNameTheAccountTheFollowerAndTheMessage()
    {
        var follower = new Follower("gh_account", "oA");

        PerMessage.Select(key => key(follower, "777")).ShouldBe(
        [
            "winterai:gh_account:turn:oA:777",
            "winterai:gh_account:read:oA:777",
            "winterai:gh_account:claim:oA:777",
            "winterai:gh_account:deliveries:oA:777",
            "winterai:gh_account:reply:oA:777",
            "winterai:gh_account:outcome:oA:777",
            "winterai:gh_account:pushed:oA:777",
            "winterai:gh_account:replied:oA:777",
        ]);
    }

    [Test]
    public void TwoFollowersReusingOneMsgIdGetDifferentKeys()
    {
        foreach (var key in PerMessage)
        {
            key(new Follower("gh_account", "oA"), "777").ShouldNotBe(key(new Follower("gh_account", "oB"), "777"));
        }
    }

    [Test]
    public void AColonInAFollowerIdCannotMakeItsMessageShareAKeyWithAnotherFollowersMessage()
    {
        var turn = Keys.Turn(new Follower("gh_account", "o:1"), "2");

        turn.ShouldBe("winterai:gh_account:turn:o%3A1:2");
        turn.ShouldNotBe(Keys.Turn(new Follower("gh_account", "o"), "1:2"));
        turn.ShouldNotBe(Keys.Turn(new Follower("gh_account", "o%3A1"), "2"));
    }

    [Test]
    public void NoTwoFollowerAndMessagePairsShareAKeyHoweverTheyAreSpelled()
    {
        string[] parts = ["", "o", "1", ":", "::", "%", "%3A", "%253A", "o:1", "o%3A1", "1:2", "\n", "o\n1", "%25"];
        var pairs = (from id in parts from message in parts select (id, message)).ToList();

        foreach (var key in PerMessage)
        {
            pairs.Select(p => key(new Follower("gh_account", p.id), p.message)).Distinct().Count().ShouldBe(pairs.Count);
        }
    }
}
