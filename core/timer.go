package core

import (
	"slices"
	"sync/atomic"
	"time"
)

// timers are Swoole\Timer's: each fires as an EventTimer on the PHP thread,
// between other events. A tick that comes while its previous event still
// waits is skipped, as a single-threaded event loop would run it late once
// rather than queue copies. The PHP thread owns the table; a firing
// timer's goroutine touches only the timer's atomics and the queue.
type timers struct {
	lastID int64
	byID   map[int64]*timer
}

type timer struct {
	id      int64
	every   time.Duration // 0 for a one-shot timer
	after   time.Duration // the interval it was made with
	t       *time.Timer
	pending atomic.Bool // its event is queued
	cleared atomic.Bool
}

// TimerAdd starts a timer of ms milliseconds, repeating if tick; it
// returns the timer id (1, 2, 3, ...).
func (s *Server) TimerAdd(ms int64, tick bool) (int64, error) {
	if ms <= 0 {
		return 0, ErrInvalid("Timer must be greater than 0")
	}
	d := time.Duration(ms) * time.Millisecond
	if s.timers.byID == nil {
		s.timers.byID = map[int64]*timer{}
	}
	s.timers.lastID++
	t := &timer{id: s.timers.lastID, after: d}
	if tick {
		t.every = d
	}
	t.t = time.AfterFunc(d, func() { s.fireTimer(t) })
	s.timers.byID[t.id] = t
	return t.id, nil
}

func (s *Server) fireTimer(t *timer) {
	if t.cleared.Load() {
		return
	}
	if t.every > 0 {
		t.t.Reset(t.every)
	}
	if !t.pending.Swap(true) {
		s.queue.push(&Event{Type: EventTimer, TimerID: t.id})
	}
}

// TimerClear stops a timer; false if there is none of that id.
func (s *Server) TimerClear(id int64) bool {
	t := s.timers.byID[id]
	delete(s.timers.byID, id)
	if t == nil {
		return false
	}
	t.cleared.Store(true)
	t.t.Stop()
	return true
}

// TimerClearAll stops every timer.
func (s *Server) TimerClearAll() {
	for _, id := range s.TimerList() {
		s.TimerClear(id)
	}
}

// TimerList returns the ids of the active timers, ascending.
func (s *Server) TimerList() []int64 {
	ids := make([]int64, 0, len(s.timers.byID))
	for id := range s.timers.byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// TimerInfo describes a timer: its interval and whether it repeats.
func (s *Server) TimerInfo(id int64) (interval time.Duration, tick, ok bool) {
	t := s.timers.byID[id]
	if t == nil {
		return 0, false, false
	}
	return t.after, t.every > 0, true
}

// takeTimer readies a timer event for its callback: false if the timer was
// cleared meanwhile. A one-shot timer is forgotten once it fires.
func (s *Server) takeTimer(ev *Event) bool {
	t := s.timers.byID[ev.TimerID]
	if t != nil && t.every == 0 {
		delete(s.timers.byID, t.id)
	}
	if t == nil || t.cleared.Load() {
		return false
	}
	t.pending.Store(false)
	return true
}
