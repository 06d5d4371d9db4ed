/**
 * The given/when/then helper must fail when a decider misbehaves, or every spec built on it proves
 * nothing. Each assertion is exercised on a tiny decider both where it should pass and where it
 * should throw.
 */
import { describe, expect, it } from "@effect/vitest"
import type { Decider } from "@kho/core/Decider"
import { Result, Schema } from "effect"
import * as DeciderSpecification from "../src/DeciderSpecification.ts"

class Deposited extends Schema.TaggedClass<Deposited>()("Deposited", { amount: Schema.Number }) {}
class Withdrawn extends Schema.TaggedClass<Withdrawn>()("Withdrawn", { amount: Schema.Number }) {}
type Event = Deposited | Withdrawn
class InsufficientFunds extends Schema.TaggedError<InsufficientFunds>()("InsufficientFunds", { balance: Schema.Number }) {}
class InvalidAmount extends Schema.TaggedError<InvalidAmount>()("InvalidAmount", { amount: Schema.Number }) {}
type Command =
  | { readonly _tag: "Deposit"; readonly amount: number }
  | { readonly _tag: "Withdraw"; readonly amount: number }
  | { readonly _tag: "Close" }

/** A purse: deposits and withdrawals; closing an empty purse is a no-op. */
const purse: Decider<number, Command, Event, InsufficientFunds | InvalidAmount> = {
  name: "Purse",
  initialState: 0,
  decide: (command, balance) => {
    switch (command._tag) {
      case "Deposit":
        return command.amount > 0
          ? Result.succeed([new Deposited({ amount: command.amount })])
          : Result.fail(new InvalidAmount({ amount: command.amount }))
      case "Withdraw":
        return command.amount <= balance
          ? Result.succeed([new Withdrawn({ amount: command.amount })])
          : Result.fail(new InsufficientFunds({ balance }))
      case "Close":
        return Result.succeed(balance === 0 ? [] : [new Withdrawn({ amount: balance })])
    }
  },
  evolve: (balance, event) => event._tag === "Deposited" ? balance + event.amount : balance - event.amount,
  eventSchema: Schema.Union([Deposited, Withdrawn])
}

const spec = DeciderSpecification.for(purse)
const ten = new Deposited({ amount: 10 })

describe("DeciderSpecification", () => {
  it("stateAfter folds the given events from the initial state", () => {
    expect(spec.stateAfter([])).toBe(0)
    expect(spec.stateAfter([ten, new Withdrawn({ amount: 3 }), ten])).toBe(17)
  })

  describe("then", () => {
    it("passes on exactly the events decided, and decides on the state the given events fold to", () => {
      spec.given([]).when({ _tag: "Deposit", amount: 5 }).then([new Deposited({ amount: 5 })])
      spec.given([ten]).when({ _tag: "Close" }).then([new Withdrawn({ amount: 10 })])
    })

    it("throws on other events, extra events, missing events and another order", () => {
      const when = spec.given([ten]).when({ _tag: "Close" })
      expect(() => when.then([new Withdrawn({ amount: 9 })])).toThrow()
      expect(() => when.then([new Deposited({ amount: 10 })])).toThrow()
      expect(() => when.then([new Withdrawn({ amount: 10 }), ten])).toThrow()
      expect(() => when.then([])).toThrow()
      expect(() =>
        DeciderSpecification.for({
          ...purse,
          decide: () => Result.succeed([new Withdrawn({ amount: 1 }), new Deposited({ amount: 1 })])
        }).given([]).when({ _tag: "Close" }).then([new Deposited({ amount: 1 }), new Withdrawn({ amount: 1 })])
      ).toThrow()
    })

    it("throws, quoting the error, when the command fails", () => {
      expect(() => spec.given([]).when({ _tag: "Withdraw", amount: 1 }).then([new Withdrawn({ amount: 1 })])).toThrow(
        "expected the command to succeed, but it failed with error"
      )
      expect(() => spec.given([]).when({ _tag: "Withdraw", amount: 1 }).then([])).toThrow("InsufficientFunds")
    })
  })

  describe("thenEvents", () => {
    it("hands the decided events to the check, whose failure propagates", () => {
      let seen: ReadonlyArray<Event> = []
      spec.given([ten]).when({ _tag: "Withdraw", amount: 4 }).thenEvents((events) => {
        seen = events
      })
      expect(seen).toEqual([new Withdrawn({ amount: 4 })])
      expect(() =>
        spec.given([ten]).when({ _tag: "Withdraw", amount: 4 }).thenEvents((events) => expect(events).toHaveLength(2))
      ).toThrow()
    })

    it("throws without calling the check when the command fails", () => {
      let called = false
      expect(() =>
        spec.given([]).when({ _tag: "Withdraw", amount: 4 }).thenEvents(() => {
          called = true
        })
      ).toThrow("failed with error")
      expect(called).toBe(false)
    })
  })

  describe("thenFails", () => {
    it("passes on the error's tag and lets the check inspect the error", () => {
      let balance = -1
      spec.given([ten]).when({ _tag: "Withdraw", amount: 11 }).thenFails("InsufficientFunds", (error) => {
        balance = error._tag === "InsufficientFunds" ? error.balance : -2
      })
      expect(balance).toBe(10)
      spec.given([]).when({ _tag: "Deposit", amount: 0 }).thenFails("InvalidAmount")
    })

    it("throws on another error's tag", () => {
      expect(() => spec.given([]).when({ _tag: "Deposit", amount: -1 }).thenFails("InsufficientFunds")).toThrow()
    })

    it("throws, quoting the events, when the command succeeds", () => {
      expect(() => spec.given([ten]).when({ _tag: "Withdraw", amount: 1 }).thenFails("InsufficientFunds")).toThrow(
        "expected the command to fail with InsufficientFunds, but it produced events"
      )
      // succeeding with no events is a success too, not a failure
      expect(() => spec.given([]).when({ _tag: "Close" }).thenFails("InsufficientFunds")).toThrow("produced events []")
    })

    it("propagates a failing check", () => {
      expect(() =>
        spec.given([ten]).when({ _tag: "Withdraw", amount: 11 }).thenFails("InsufficientFunds", (error) => {
          expect(error._tag === "InsufficientFunds" && error.balance).toBe(0)
        })
      ).toThrow()
    })
  })

  describe("thenNothingHappened", () => {
    it("passes when the command succeeds with no events", () => {
      spec.given([]).when({ _tag: "Close" }).thenNothingHappened()
      spec.given([ten, new Withdrawn({ amount: 10 })]).when({ _tag: "Close" }).thenNothingHappened()
    })

    it("throws when the command appends events", () => {
      expect(() => spec.given([ten]).when({ _tag: "Close" }).thenNothingHappened()).toThrow()
    })

    it("throws when the command fails, which is not 'nothing happened'", () => {
      expect(() => spec.given([]).when({ _tag: "Withdraw", amount: 1 }).thenNothingHappened()).toThrow(
        "expected the command to succeed"
      )
    })
  })
})
