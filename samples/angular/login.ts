import { AsyncPipe } from '@angular/common'
import { Component, inject } from '@angular/core'
import { BehaviorSubject } from 'rxjs'
import { Kandy } from './kandy.js'

/** Logs in with a user and password of the platform. */
@Component({
  selector: 'kx-login',
  imports: [AsyncPipe],
  template: `
    <form class="login" (submit)="login($event, user.value, password.value)">
      <h1>kandy-rx · Angular</h1>
      <label>User <input #user name="user" autocomplete="username" value="alice@example.com" required /></label>
      <label>Password <input #password name="password" type="password" autocomplete="current-password" value="password" required /></label>
      <button type="submit" [disabled]="busy$ | async">Log in</button>
      @if (error$ | async; as error) {
        <p class="error" role="alert">{{ error }}</p>
      }
    </form>
  `,
})
export class LoginComponent {
  private readonly kandy = inject(Kandy)
  readonly busy$ = new BehaviorSubject(false)
  readonly error$ = new BehaviorSubject<string | undefined>(undefined)

  login(event: Event, user: string, password: string): void {
    event.preventDefault()
    this.busy$.next(true)
    this.error$.next(undefined)
    this.kandy.login(user.trim(), password).subscribe({
      error: (error: unknown) => {
        this.busy$.next(false)
        this.error$.next(error instanceof Error ? error.message : String(error))
      },
    })
  }
}
