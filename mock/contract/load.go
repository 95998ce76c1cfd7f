package contract

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Bounds of the load check. A contract suite is not a load-testing tool: these keep a typo
// (--load 50000) from flooding an endpoint, which is what careless senders are warned about.
const (
	MaxLoadRate         = 1000.0 // deliveries per second
	MaxLoadDuration     = 5 * time.Minute
	DefaultLoadDuration = 10 * time.Second
	// maxInFlight bounds concurrent requests; when the endpoint falls behind, the pace drops
	// instead of the suite opening ever more connections.
	maxInFlight = 256
)

// Load configures the load check: Rate deliveries a second for For. The zero value disables it.
type Load struct {
	Rate float64       // deliveries per second, at most MaxLoadRate; 0 disables the check
	For  time.Duration // how long, at most MaxLoadDuration; 0 means DefaultLoadDuration
}

// Enabled reports whether the load check runs.
func (l Load) Enabled() bool { return l.Rate != 0 }

// Validate reports a Load outside the bounds, in words fit for a flag error.
func (l Load) Validate() error {
	switch {
	case l.Rate == 0 && l.For == 0:
		return nil
	case l.Rate == 0:
		return errors.New("a load duration was given without a rate")
	case math.IsNaN(l.Rate) || l.Rate < 0 || l.Rate > MaxLoadRate:
		return fmt.Errorf("load rate %g/s is outside 0-%g/s", l.Rate, MaxLoadRate)
	case l.For < 0 || l.For > MaxLoadDuration:
		return fmt.Errorf("load duration %s is outside 0-%s", l.For, MaxLoadDuration)
	case l.withDefaults().planned() < 1:
		return fmt.Errorf("at %g/s for %s not one delivery would be sent", l.Rate, l.withDefaults().For)
	}
	return nil
}

func (l Load) withDefaults() Load {
	if l.For == 0 {
		l.For = DefaultLoadDuration
	}
	return l
}

// planned is how many deliveries the load check sends.
func (l Load) planned() int {
	return int(math.Floor(l.Rate*l.For.Seconds() + 1e-9))
}

// ParseRate reads a load rate as --load takes it: "50" or "50/s" per second, "600/m" per
// minute. The result is in deliveries per second and within MaxLoadRate.
func ParseRate(s string) (float64, error) {
	num, unit, hasUnit := strings.Cut(strings.TrimSpace(s), "/")
	per := 1.0
	if hasUnit {
		switch strings.TrimSpace(unit) {
		case "s":
		case "m", "min":
			per = 60
		default:
			return 0, fmt.Errorf("load rate %q: the unit after / must be s or m", s)
		}
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
		return 0, fmt.Errorf("load rate %q is not a number of deliveries (like 50, 50/s or 600/m)", s)
	}
	rate := n / per
	if rate <= 0 || rate > MaxLoadRate {
		return 0, fmt.Errorf("load rate %q must be above 0 and at most %g deliveries a second", s, MaxLoadRate)
	}
	return rate, nil
}
